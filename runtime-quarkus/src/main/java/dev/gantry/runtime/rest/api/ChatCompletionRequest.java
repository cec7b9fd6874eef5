package dev.gantry.runtime.rest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.gantry.runtime.rest.OpenAiException;

import java.util.List;

import static dev.gantry.runtime.rest.api.ChatMessage.present;

/**
 * The body of {@code POST /v1/chat/completions}: every field of OpenAI's schema, plus vLLM's sampling extras.
 * Fields for tools, audio, structured output and stored completions are refused by name unless they are absent
 * or hold their neutral value.
 *
 * @param messages            the conversation, rendered with the model's chat template
 * @param model               the model's id; null means the served model
 * @param logprobs            report log-probabilities of the generated tokens
 * @param topLogprobs         how many most likely tokens to report per position (needs {@code logprobs})
 * @param maxTokens           the most tokens to generate (deprecated by OpenAI for max_completion_tokens)
 * @param maxCompletionTokens the most tokens to generate; when both are null, up to the model's context
 * @param n                   choices
 * @param seed                the sampling seed; choice i uses seed + i
 * @param stop                a stop string or a list of them
 * @param stream              stream deltas as server-sent events
 * @param streamOptions       streaming options; only with {@code stream}
 * @param user                the end user's id; accepted and not used
 * @param promptCacheKey      a caching hint; prefix caching is automatic, so it is accepted and not needed
 * @param safetyIdentifier    the end user's id; accepted and not used
 * @param returnTokensAsTokenIds vLLM: name tokens in log-probabilities {@code token_id:<id>} instead of by text
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChatCompletionRequest(List<ChatMessage> messages, String model, Boolean store, String reasoningEffort,
                                    JsonNode metadata, Double frequencyPenalty, JsonNode logitBias, Boolean logprobs,
                                    Integer topLogprobs, Integer maxTokens, Integer maxCompletionTokens, Integer n,
                                    JsonNode modalities, JsonNode prediction, JsonNode audio, Double presencePenalty,
                                    JsonNode responseFormat, Long seed, String serviceTier, JsonNode stop,
                                    Boolean stream, StreamOptions streamOptions, Double temperature, Double topP,
                                    JsonNode tools, JsonNode toolChoice, Boolean parallelToolCalls, String user,
                                    JsonNode functionCall, JsonNode functions, JsonNode webSearchOptions,
                                    String verbosity, String promptCacheKey, String safetyIdentifier, Integer topK,
                                    Double minP, Double repetitionPenalty, List<Integer> stopTokenIds,
                                    Integer minTokens, Boolean ignoreEos, Boolean returnTokensAsTokenIds)
        implements SamplingFields {

    /**
     * Refuses what this service does not honour, naming the field.
     *
     * @throws OpenAiException 400
     */
    public void requireSupported() {
        if (messages == null || messages.isEmpty()) {
            throw OpenAiException.invalid("messages", "messages must hold at least one message");
        }
        if (Boolean.TRUE.equals(store)) {
            throw OpenAiException.unsupported("store", "completions are not stored");
        }
        if (present(metadata)) {
            throw OpenAiException.unsupported("metadata", "completions are not stored");
        }
        if (reasoningEffort != null) {
            throw OpenAiException.unsupported("reasoning_effort", null);
        }
        if (present(logitBias)) {
            throw OpenAiException.unsupported("logit_bias", null);
        }
        if (topLogprobs != null && (topLogprobs < 0 || topLogprobs > CompletionRequest.MAX_LOGPROBS)) {
            throw OpenAiException.invalid("top_logprobs", "top_logprobs must be in [0, "
                    + CompletionRequest.MAX_LOGPROBS + "], was " + topLogprobs);
        }
        if (topLogprobs != null && !Boolean.TRUE.equals(logprobs)) {
            throw OpenAiException.invalid("top_logprobs", "top_logprobs needs logprobs set to true");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw OpenAiException.invalid("max_tokens", "max_tokens must be at least 1, was " + maxTokens);
        }
        if (maxCompletionTokens != null && maxCompletionTokens < 1) {
            throw OpenAiException.invalid("max_completion_tokens", "max_completion_tokens must be at least 1, was "
                    + maxCompletionTokens);
        }
        if (n != null && (n < 1 || n > CompletionRequest.MAX_N)) {
            throw OpenAiException.invalid("n", "n must be in [1, " + CompletionRequest.MAX_N + "], was " + n);
        }
        if (modalities != null && !modalities.isNull()
                && !(modalities.isArray() && modalities.size() == 1 && "text".equals(modalities.get(0).asText()))) {
            throw OpenAiException.unsupported("modalities", "only [\"text\"] is served");
        }
        if (present(prediction)) {
            throw OpenAiException.unsupported("prediction", null);
        }
        if (present(audio)) {
            throw OpenAiException.unsupported("audio", null);
        }
        if (responseFormat != null && !responseFormat.isNull()
                && !"text".equals(responseFormat.path("type").asText())) {
            throw OpenAiException.unsupported("response_format", "only {\"type\": \"text\"} is served");
        }
        if (serviceTier != null && !serviceTier.equals("auto") && !serviceTier.equals("default")) {
            throw OpenAiException.unsupported("service_tier", "only auto and default are served");
        }
        if (streamOptions != null && !Boolean.TRUE.equals(stream)) {
            throw OpenAiException.invalid("stream_options", "stream_options is only allowed when stream is true");
        }
        if (present(tools)) {
            throw OpenAiException.unsupported("tools", "tool calling is not served");
        }
        if (toolChoice != null && !toolChoice.isNull() && !"none".equals(toolChoice.asText())) {
            throw OpenAiException.unsupported("tool_choice", "tool calling is not served");
        }
        if (Boolean.TRUE.equals(parallelToolCalls)) {
            throw OpenAiException.unsupported("parallel_tool_calls", "tool calling is not served");
        }
        if (present(functions)) {
            throw OpenAiException.unsupported("functions", "function calling is not served");
        }
        if (functionCall != null && !functionCall.isNull() && !"none".equals(functionCall.asText())) {
            throw OpenAiException.unsupported("function_call", "function calling is not served");
        }
        if (present(webSearchOptions)) {
            throw OpenAiException.unsupported("web_search_options", null);
        }
        if (verbosity != null) {
            throw OpenAiException.unsupported("verbosity", null);
        }
    }

    /** The requested output length, or null for "up to the context". */
    public Integer requestedMaxTokens() {
        return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
    }

    /** Which field the output length came from, for errors. */
    public String maxTokensField() {
        return maxCompletionTokens != null ? "max_completion_tokens" : "max_tokens";
    }

    /** Choices. */
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

    /** How many most likely tokens to report per position, or null for no log-probabilities. */
    public Integer logprobCount() {
        return Boolean.TRUE.equals(logprobs) ? (topLogprobs == null ? 0 : topLogprobs) : null;
    }
}
