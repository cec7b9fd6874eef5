package dev.gantry.engine.sample;

import java.util.Arrays;
import java.util.List;

/**
 * Everything a request says about how its tokens are chosen and when it ends, with vLLM's meanings, so that a
 * client moving from vLLM or the OpenAI API gets the same behaviour for the same numbers.
 *
 * <p>Logits are processed in vLLM's order: minimum-length suppression and penalties, then temperature, then
 * min-p, top-k and top-p, then the draw. Invalid values are refused with a message naming the field as the
 * OpenAI/vLLM request spells it ({@code top_p}, {@code max_tokens}).
 *
 * @param temperature       0 (or below {@link #GREEDY_BELOW}) decodes greedily: argmax of the processed
 *                          logits, lowest id on ties
 * @param topK              keep the k most likely tokens; 0 or -1 is off (-1 is stored as 0)
 * @param topP              keep the smallest set of most likely tokens whose mass reaches p; 1 is off
 * @param minP              drop tokens whose probability is below {@code minP} times the largest; 0 is off
 * @param repetitionPenalty for tokens in the prompt or the output, positive logits are divided by it and
 *                          negative ones multiplied (HF/vLLM); 1 is off
 * @param presencePenalty   subtracted once from the logit of every token already in the output (OpenAI)
 * @param frequencyPenalty  subtracted from a token's logit once per occurrence in the output (OpenAI)
 * @param seed              the request's seed; null gives a fresh random seed per request
 * @param stop              strings that end generation; they are not part of the returned text
 * @param stopTokenIds      token ids that end generation besides EOS
 * @param ignoreEos         keep generating after EOS
 * @param maxTokens         the most output tokens
 * @param minTokens         EOS and stop token ids are suppressed, and stop strings not looked for, until this
 *                          many tokens have been generated
 * @param logprobs          null for none; N ≥ 0 for the chosen token's logprob plus the N most likely tokens
 */
public record SamplingParams(
        float temperature,
        int topK,
        float topP,
        float minP,
        float repetitionPenalty,
        float presencePenalty,
        float frequencyPenalty,
        Long seed,
        List<String> stop,
        List<Integer> stopTokenIds,
        boolean ignoreEos,
        int maxTokens,
        int minTokens,
        Integer logprobs) {

    /** The default length of a completion when a request names none, as in the OpenAI API and vLLM. */
    public static final int DEFAULT_MAX_TOKENS = 16;

    /** Temperatures below this decode greedily. */
    public static final float GREEDY_BELOW = 1e-5f;

    public SamplingParams {
        if (!(temperature >= 0) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, was " + temperature);
        }
        if (topK < -1) {
            throw new IllegalArgumentException("top_k must be -1 or 0 (off) or a positive count, was " + topK);
        }
        topK = Math.max(topK, 0);
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], was " + topP);
        }
        if (!(minP >= 0 && minP <= 1)) {
            throw new IllegalArgumentException("min_p must be in [0, 1], was " + minP);
        }
        if (!(repetitionPenalty > 0) || !Float.isFinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetition_penalty must be a finite number > 0, was "
                    + repetitionPenalty);
        }
        if (!(presencePenalty >= -2 && presencePenalty <= 2)) {
            throw new IllegalArgumentException("presence_penalty must be in [-2, 2], was " + presencePenalty);
        }
        if (!(frequencyPenalty >= -2 && frequencyPenalty <= 2)) {
            throw new IllegalArgumentException("frequency_penalty must be in [-2, 2], was " + frequencyPenalty);
        }
        stop = stop == null ? List.of() : stop;
        for (String s : stop) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("stop must not contain an empty or null string");
            }
        }
        stop = List.copyOf(stop);
        stopTokenIds = stopTokenIds == null ? List.of() : stopTokenIds;
        for (Integer id : stopTokenIds) {
            if (id == null || id < 0) {
                throw new IllegalArgumentException("stop_token_ids must be token ids >= 0, had " + id);
            }
        }
        stopTokenIds = List.copyOf(stopTokenIds);
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be at least 1, was " + maxTokens);
        }
        if (minTokens < 0 || minTokens > maxTokens) {
            throw new IllegalArgumentException("min_tokens must be in [0, max_tokens=" + maxTokens + "], was "
                    + minTokens);
        }
        if (logprobs != null && logprobs < 0) {
            throw new IllegalArgumentException("logprobs must be >= 0 when given, was " + logprobs);
        }
    }

    /** Greedy decoding with nothing else switched on: what the reference outputs were made with. */
    public static SamplingParams greedy(int maxTokens) {
        return builder().temperature(0f).maxTokens(maxTokens).build();
    }

    /** A builder starting from vLLM's defaults (temperature 1, everything else off, 16 tokens). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values, to change a few of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.temperature = temperature;
        b.topK = topK;
        b.topP = topP;
        b.minP = minP;
        b.repetitionPenalty = repetitionPenalty;
        b.presencePenalty = presencePenalty;
        b.frequencyPenalty = frequencyPenalty;
        b.seed = seed;
        b.stop = stop;
        b.stopTokenIds = stopTokenIds;
        b.ignoreEos = ignoreEos;
        b.maxTokens = maxTokens;
        b.minTokens = minTokens;
        b.logprobs = logprobs;
        return b;
    }

    /**
     * Whether tokens are chosen by argmax rather than drawn: temperature 0, or below {@value #GREEDY_BELOW}
     * where a draw would be argmax anyway up to ties and rounding (vLLM's threshold).
     */
    public boolean isGreedy() {
        return temperature < GREEDY_BELOW;
    }

    /** Whether any of the three penalties changes logits, so that token counts must be kept. */
    public boolean hasPenalties() {
        return repetitionPenalty != 1f || presencePenalty != 0f || frequencyPenalty != 0f;
    }

    /** Collects values for a {@link SamplingParams}; {@link #build()} validates them. */
    public static final class Builder {
        private float temperature = 1f;
        private int topK;
        private float topP = 1f;
        private float minP;
        private float repetitionPenalty = 1f;
        private float presencePenalty;
        private float frequencyPenalty;
        private Long seed;
        private List<String> stop = List.of();
        private List<Integer> stopTokenIds = List.of();
        private boolean ignoreEos;
        private int maxTokens = DEFAULT_MAX_TOKENS;
        private int minTokens;
        private Integer logprobs;

        private Builder() {
        }

        public Builder temperature(float v) {
            temperature = v;
            return this;
        }

        public Builder topK(int v) {
            topK = v;
            return this;
        }

        public Builder topP(float v) {
            topP = v;
            return this;
        }

        public Builder minP(float v) {
            minP = v;
            return this;
        }

        public Builder repetitionPenalty(float v) {
            repetitionPenalty = v;
            return this;
        }

        public Builder presencePenalty(float v) {
            presencePenalty = v;
            return this;
        }

        public Builder frequencyPenalty(float v) {
            frequencyPenalty = v;
            return this;
        }

        public Builder seed(Long v) {
            seed = v;
            return this;
        }

        public Builder stop(List<String> v) {
            stop = v;
            return this;
        }

        public Builder stop(String... v) {
            stop = List.of(v);
            return this;
        }

        public Builder stopTokenIds(List<Integer> v) {
            stopTokenIds = v;
            return this;
        }

        public Builder stopTokenIds(int... v) {
            stopTokenIds = Arrays.stream(v).boxed().toList();
            return this;
        }

        public Builder ignoreEos(boolean v) {
            ignoreEos = v;
            return this;
        }

        public Builder maxTokens(int v) {
            maxTokens = v;
            return this;
        }

        public Builder minTokens(int v) {
            minTokens = v;
            return this;
        }

        public Builder logprobs(Integer v) {
            logprobs = v;
            return this;
        }

        public SamplingParams build() {
            return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, presencePenalty,
                    frequencyPenalty, seed, stop, stopTokenIds, ignoreEos, maxTokens, minTokens, logprobs);
        }
    }
}
