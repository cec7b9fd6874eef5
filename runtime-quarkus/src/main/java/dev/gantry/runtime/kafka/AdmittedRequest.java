package dev.gantry.runtime.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.sample.SamplingParams;

/**
 * A request that passed every check, in the engine's terms.
 *
 * @param id           the request id
 * @param original     the request as it arrived (carried by checkpoints)
 * @param promptTokens the prompt's token ids
 * @param sampling     sampling settings; always with a seed when sampling, so a checkpoint can replay the draws
 * @param stream       whether chunks are streamed
 * @param replyTopic   where the responses go
 * @param priority     the scheduling priority
 */
record AdmittedRequest(String id, JsonNode original, int[] promptTokens, SamplingParams sampling, boolean stream,
                       String replyTopic, int priority) {
}
