package dev.gantry.runtime.rest.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * A completion, or one streamed chunk of it (the same shape, {@code object: "text_completion"}).
 *
 * @param id                the request's id ({@code cmpl-...})
 * @param object            {@code text_completion}
 * @param created           seconds since the epoch
 * @param model             the served model's id
 * @param choices           one per prompt and choice ({@code index = prompt * n + choice})
 * @param usage             token counts; in a stream only on the last chunk, with {@code include_usage}
 * @param systemFingerprint always null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                                 UsageInfo usage, String systemFingerprint) {

    public static final String OBJECT = "text_completion";

    /**
     * One choice (or its increment, in a stream).
     *
     * @param text         the generated text (after the prompt, with echo)
     * @param index        its index
     * @param logprobs     per token, when asked for
     * @param finishReason {@code stop} or {@code length} (null until the choice ends, in a stream)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Choice(String text, int index, Logprobs logprobs, String finishReason) {
    }

    /**
     * OpenAI's legacy log-probability lists, one entry per token.
     *
     * @param tokens        each token's text
     * @param tokenLogprobs each token's log-probability
     * @param topLogprobs   the most likely tokens at each position, text to log-probability
     * @param textOffset    where each token's text starts in the choice's text
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Logprobs(List<String> tokens, List<Float> tokenLogprobs, List<Map<String, Float>> topLogprobs,
                           List<Integer> textOffset) {
    }
}
