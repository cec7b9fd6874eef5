package dev.gantry.runtime.rest.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * A chat completion ({@code object: "chat.completion"}).
 *
 * @param id                the request's id ({@code chatcmpl-...})
 * @param object            {@code chat.completion}
 * @param created           seconds since the epoch
 * @param model             the served model's id
 * @param choices           one per choice
 * @param usage             token counts
 * @param systemFingerprint always null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChatCompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                                     UsageInfo usage, String systemFingerprint) {

    public static final String OBJECT = "chat.completion";

    /**
     * @param index        the choice's index
     * @param message      the assistant's reply
     * @param logprobs     per token, when asked for
     * @param finishReason {@code stop} or {@code length}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Choice(int index, Message message, ChatLogprobs logprobs, String finishReason) {
    }

    /**
     * @param role    {@code assistant}
     * @param content the generated text
     * @param refusal always null
     */
    public record Message(String role, String content, String refusal) {
    }
}
