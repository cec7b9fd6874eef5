package dev.gantry.runtime.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.gantry.runtime.rest.api.ChatMessage;
import dev.gantry.runtime.rest.api.SamplingFields;

import java.util.List;

/**
 * A request on {@code gantry.requests}: an id, a prompt ({@code prompt} as for {@code /v1/completions}, a string
 * or token ids; or chat {@code messages}) and the sampling fields of the REST API. A field outside this list, or of
 * the wrong type, sends the message to the dead-letter topic.
 *
 * @param id          the request's id: the key of every response message, and what makes a repeat a duplicate
 * @param prompt      a string (BOS is added when the model adds one; the empty string is valid) or token ids
 * @param messages    chat messages, rendered with the model's chat template; instead of {@code prompt}
 * @param stream      token chunks as they are generated (default), or only the final message with the whole text
 * @param replyTopic  where responses go instead of {@code gantry.responses}
 * @param model       the served model's name, or null
 * @param maxTokens   the most tokens to generate (16 for a prompt; the rest of the context for messages)
 * @param priority    larger runs first under priority-aware schedulers
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record KafkaRequest(String id, JsonNode prompt, List<ChatMessage> messages, Boolean stream, String replyTopic,
                           String model, Integer maxTokens, Double temperature, Double topP, Double presencePenalty,
                           Double frequencyPenalty, Long seed, JsonNode stop, Integer topK, Double minP,
                           Double repetitionPenalty, List<Integer> stopTokenIds, Integer minTokens, Boolean ignoreEos,
                           Integer priority) implements SamplingFields {

    /** Whether responses are streamed as chunks (the default). */
    public boolean streaming() {
        return stream == null || stream;
    }
}
