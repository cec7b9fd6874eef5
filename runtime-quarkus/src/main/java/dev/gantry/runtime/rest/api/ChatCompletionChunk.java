package dev.gantry.runtime.rest.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * One streamed chunk of a chat completion ({@code object: "chat.completion.chunk"}): first the role, then content
 * deltas, then an empty delta with the finish reason; with {@code include_usage} a last chunk with no choices
 * carries the usage.
 *
 * @param id                the request's id, the same in every chunk
 * @param object            {@code chat.completion.chunk}
 * @param created           seconds since the epoch, the same in every chunk
 * @param model             the served model's id
 * @param systemFingerprint always null
 * @param choices           the choices this chunk advances
 * @param usage             token counts, only in the usage chunk
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChatCompletionChunk(String id, String object, long created, String model, String systemFingerprint,
                                  List<Choice> choices, UsageInfo usage) {

    public static final String OBJECT = "chat.completion.chunk";

    /**
     * @param index        the choice's index
     * @param delta        what is new
     * @param logprobs     for the new tokens, when asked for
     * @param finishReason null until the choice ends
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Choice(int index, Delta delta, ChatLogprobs logprobs, String finishReason) {
    }

    /**
     * @param role    {@code assistant}, in the first chunk only
     * @param content new text
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }
}
