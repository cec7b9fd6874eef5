package dev.gantry.runtime.rest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.gantry.runtime.rest.OpenAiException;

import java.util.List;

/**
 * The body of {@code POST /v1/completions}: every field of OpenAI's schema, plus vLLM's sampling extras. A field
 * outside this list is refused by name (the JSON reader fails on unknown properties).
 *
 * @param model            the model's id; null means the served model
 * @param prompt           a string, a list of strings, a list of token ids, or a list of lists of token ids
 * @param bestOf           only 1 (or null) is supported
 * @param echo             put the prompt in front of the generated text
 * @param frequencyPenalty OpenAI's frequency penalty, [-2, 2]
 * @param logitBias        not supported
 * @param logprobs         how many most likely tokens to report per position, with the chosen token's
 * @param maxTokens        the most tokens to generate per choice (16 when null)
 * @param n                choices per prompt
 * @param presencePenalty  OpenAI's presence penalty, [-2, 2]
 * @param seed             the sampling seed; choice i of a request uses seed + i
 * @param stop             a stop string or a list of them
 * @param stream           stream chunks as server-sent events
 * @param streamOptions    streaming options; only with {@code stream}
 * @param suffix           not supported
 * @param temperature      sampling temperature (1 when null); 0 is greedy
 * @param topP             nucleus sampling mass
 * @param user             the end user's id; accepted and not used
 * @param topK             vLLM: sample among the k most likely tokens (-1 or 0: off)
 * @param minP             vLLM: drop tokens below this fraction of the top token's probability
 * @param repetitionPenalty vLLM: penalise tokens seen in the prompt or output (1: off)
 * @param stopTokenIds     vLLM: token ids that end generation
 * @param minTokens        vLLM: tokens to generate before EOS or a stop may end the output
 * @param ignoreEos        vLLM: keep generating past EOS
 * @param returnTokensAsTokenIds vLLM: name tokens in log-probabilities {@code token_id:<id>} instead of by text
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CompletionRequest(String model, JsonNode prompt, Integer bestOf, Boolean echo, Double frequencyPenalty,
                                JsonNode logitBias, Integer logprobs, Integer maxTokens, Integer n,
                                Double presencePenalty, Long seed, JsonNode stop, Boolean stream,
                                StreamOptions streamOptions, String suffix, Double temperature, Double topP, String user,
                                Integer topK, Double minP, Double repetitionPenalty, List<Integer> stopTokenIds,
                                Integer minTokens, Boolean ignoreEos, Boolean returnTokensAsTokenIds)
        implements SamplingFields {

    /** The most {@code logprobs} a request may ask for. */
    public static final int MAX_LOGPROBS = 20;

    /** The most choices per prompt. */
    public static final int MAX_N = 128;

    /**
     * Refuses what this service does not honour, naming the field.
     *
     * @throws OpenAiException 400
     */
    public void requireSupported() {
        if (prompt == null || prompt.isNull()) {
            throw OpenAiException.invalid("prompt", "prompt is required");
        }
        if (bestOf != null && bestOf != 1) {
            throw OpenAiException.unsupported("best_of", "only best_of=1 is served; use n for several choices");
        }
        if (suffix != null && !suffix.isEmpty()) {
            throw OpenAiException.unsupported("suffix", "insertion (text after the completion) is not served");
        }
        if (logitBias != null && !logitBias.isNull() && !logitBias.isEmpty()) {
            throw OpenAiException.unsupported("logit_bias", null);
        }
        if (logprobs != null && (logprobs < 0 || logprobs > MAX_LOGPROBS)) {
            throw OpenAiException.invalid("logprobs", "logprobs must be in [0, " + MAX_LOGPROBS + "], was " + logprobs);
        }
        if (Boolean.TRUE.equals(echo) && logprobs != null) {
            throw OpenAiException.unsupported("logprobs", "with echo: prompt log-probabilities are not computed");
        }
        if (n != null && (n < 1 || n > MAX_N)) {
            throw OpenAiException.invalid("n", "n must be in [1, " + MAX_N + "], was " + n);
        }
        if (maxTokens != null && maxTokens < 1) {
            throw OpenAiException.invalid("max_tokens", "max_tokens must be at least 1, was " + maxTokens);
        }
        if (streamOptions != null && !Boolean.TRUE.equals(stream)) {
            throw OpenAiException.invalid("stream_options", "stream_options is only allowed when stream is true");
        }
    }

    /** Choices per prompt. */
    public int choices() {
        return n == null ? 1 : n;
    }

    /** Whether to stream. */
    public boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    /** Whether a streamed response ends with a usage chunk. */
    public boolean includeUsage() {
        return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
    }
}
