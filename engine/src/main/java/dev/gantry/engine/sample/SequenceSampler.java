package dev.gantry.engine.sample;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Chooses the tokens of one sequence under its {@link SamplingParams}. Each sequence has its own seeded
 * generator, so a seeded request gives the same tokens whatever else shares its batch, and its own token
 * counts, which the penalties read.
 *
 * <p>Per position: copy the logits into scratch (the caller's array is never modified), suppress EOS and
 * stop token ids while fewer than {@code min_tokens} tokens have been generated, apply the repetition,
 * frequency and presence penalties, then either take the argmax (temperature 0, lowest id on ties) or
 * scale by the temperature, apply min-p, top-k and top-p, and draw once from what is left.
 *
 * <p>The history is the prompt plus every token passed to {@link #accept}: the caller accepts each output
 * token once it is part of the output (the sampled token, which becomes the pending token; and, under
 * speculation, {@link TreeVerifier} accepts the tokens it commits). Not thread-safe: one per sequence.
 */
public final class SequenceSampler {

    private final SamplingParams params;
    private final long seed;
    private final SplittableRandom random;
    private final PenaltyState penalties;
    private final int[] suppressedBeforeMinimum;
    private final SamplingScratch scratch;
    private int generated;

    /** A sampler with its own scratch arrays. */
    public SequenceSampler(SamplingParams params, int[] promptTokens, int[] eosTokenIds) {
        this(params, promptTokens, eosTokenIds, new SamplingScratch());
    }

    /**
     * A sampler that borrows {@code scratch}, which samplers used from the same thread may share.
     *
     * @param promptTokens the prompt, which the repetition penalty counts as history
     * @param eosTokenIds  the model's end-of-generation ids (suppressed before {@code min_tokens} unless
     *                     {@code ignore_eos})
     */
    public SequenceSampler(SamplingParams params, int[] promptTokens, int[] eosTokenIds, SamplingScratch scratch) {
        this.params = params;
        // A request without a seed still gets one, so that what it did can be told and repeated.
        this.seed = params.seed() != null ? params.seed() : new SplittableRandom().nextLong();
        this.random = new SplittableRandom(seed);
        this.penalties = params.hasPenalties() ? new PenaltyState(params, promptTokens) : null;
        int[] eos = params.ignoreEos() ? new int[0] : eosTokenIds;
        this.suppressedBeforeMinimum = params.minTokens() == 0 ? new int[0]
                : IntStream.concat(Arrays.stream(eos),
                        params.stopTokenIds().stream().mapToInt(Integer::intValue)).distinct().toArray();
        this.scratch = scratch;
    }

    /**
     * Chooses the next token from the logits of one position, {@code logits[offset .. offset+vocab)}, which
     * are read, not modified. Does not record the token: call {@link #accept} once it is part of the output.
     */
    public SampleResult sample(float[] logits, int offset, int vocab) {
        checkRange(logits, offset, vocab);
        float[] processed = processed(logits, offset, vocab);
        int token;
        if (params.isGreedy()) {
            token = GreedySampler.argmax(processed, vocab);
        } else {
            double[] weights = scratch.weights(vocab);
            double sum = weights(processed, vocab, weights);
            token = draw(weights, vocab, sum);
        }
        return describe(logits, offset, vocab, token);
    }

    /**
     * {@code token} with the logprobs the request asked for, computed from these raw logits; for tokens
     * chosen elsewhere, such as those a {@link TreeVerifier} accepted (the logits of a node describe the
     * token after it).
     */
    public SampleResult describe(float[] logits, int offset, int vocab, int token) {
        checkRange(logits, offset, vocab);
        if (token < 0 || token >= vocab) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary of " + vocab);
        }
        Integer n = params.logprobs();
        return n == null ? SampleResult.of(token)
                : RawLogprobs.describe(logits, offset, vocab, token, n, scratch.keys(vocab));
    }

    /** Records {@code token} as the next output token, for the penalties and the minimum length. */
    public void accept(int token) {
        if (token < 0) {
            throw new IllegalArgumentException("token ids are >= 0, was " + token);
        }
        if (penalties != null) {
            penalties.recordOutput(token);
        }
        generated++;
    }

    /**
     * Continues a sequence that already produced {@code tokens} under the same parameters and seed: each is
     * accepted (penalties, minimum length) and, when sampling, the one draw that chose it is skipped, so the
     * next draw is the one an uninterrupted run would make. Call before the first {@link #sample}.
     */
    public void resumeAfter(int[] tokens) {
        for (int token : tokens) {
            accept(token);
            if (!params.isGreedy()) {
                random.nextDouble();
            }
        }
    }

    /** How many output tokens have been accepted. */
    public int generated() {
        return generated;
    }

    /** The seed in use: the request's, or the one drawn for it. */
    public long seed() {
        return seed;
    }

    public SamplingParams params() {
        return params;
    }

    /**
     * The logits after minimum-length suppression and penalties, in the scratch array (valid until the next
     * call on a sampler sharing the scratch). Greedy decoding is the argmax of these.
     */
    float[] processed(float[] logits, int offset, int vocab) {
        float[] work = scratch.logits(vocab);
        System.arraycopy(logits, offset, work, 0, vocab);
        if (generated < params.minTokens()) {
            for (int id : suppressedBeforeMinimum) {
                if (id < vocab) {
                    work[id] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        if (penalties != null) {
            penalties.apply(work, vocab);
        }
        return work;
    }

    /**
     * The target distribution's unnormalised weights for processed logits, into {@code out[0..vocab)}, and
     * their sum: a one-hot on the argmax when greedy, otherwise temperature, min-p, top-k and top-p.
     */
    double weights(float[] processed, int vocab, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, processed[i]);
        }
        if (params.isGreedy() || max == Double.NEGATIVE_INFINITY) {
            // With every token suppressed (a vocabulary of stop tokens only) the argmax is all that is left.
            Arrays.fill(out, 0, vocab, 0);
            out[GreedySampler.argmax(processed, vocab)] = 1;
            return 1;
        }
        double temperature = params.temperature();
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            double w = Math.exp((processed[i] - max) / temperature);
            out[i] = w;
            sum += w;
        }
        return Truncation.apply(params, processed, out, vocab, sum, scratch.keys(vocab));
    }

    /** One draw from {@code weights[0..vocab)}, whose sum is {@code sum}, with this sequence's generator. */
    int draw(double[] weights, int vocab, double sum) {
        double u = random.nextDouble() * sum;
        double cumulative = 0;
        for (int i = 0; i < vocab; i++) {
            cumulative += weights[i];
            if (u < cumulative) {
                return i;
            }
        }
        // Rounding can leave u at the very top; the last token with weight is the answer then.
        for (int i = vocab - 1; i >= 0; i--) {
            if (weights[i] > 0) {
                return i;
            }
        }
        throw new IllegalStateException("no token has weight: the distribution is empty");
    }

    /** A uniform number in [0, 1) from this sequence's generator, for acceptance tests. */
    double uniform() {
        return random.nextDouble();
    }

    private static void checkRange(float[] logits, int offset, int vocab) {
        if (vocab <= 0 || offset < 0 || offset + vocab > logits.length) {
            throw new IllegalArgumentException("logits [" + offset + ", " + (offset + vocab)
                    + ") do not fit an array of " + logits.length);
        }
    }
}
