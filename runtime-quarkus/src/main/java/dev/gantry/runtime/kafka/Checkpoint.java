package dev.gantry.runtime.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A message of {@code gantry.checkpoints}: the progress of a request that must move to another replica, enough to
 * continue it exactly where it stopped (SpotServe's stateful inference recovery).
 *
 * @param id                the request id
 * @param request           the request as it arrived
 * @param promptTokenIds    the prompt's token ids
 * @param generatedTokenIds the tokens generated so far
 * @param text              the text of those tokens that was published (or, without streaming, produced)
 * @param sampler           the sampler's seed and step (tokens drawn so far)
 * @param nextChunk         the index of the next response message
 * @param handover          how many times the request has moved, this move included
 * @param from              the instance that wrote the checkpoint
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record Checkpoint(String id, JsonNode request, int[] promptTokenIds, int[] generatedTokenIds, String text,
                  SamplerState sampler, int nextChunk, int handover, String from) {

    /**
     * Where the sampler stands.
     *
     * @param seed the seed (null for greedy requests)
     * @param step the number of tokens drawn so far
     */
    record SamplerState(Long seed, int step) {
    }

    String toJson() {
        try {
            return RequestReader.JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Checkpoint parse(String json) {
        try {
            Checkpoint c = RequestReader.JSON.readValue(json, Checkpoint.class);
            if (c.id() == null || c.request() == null || c.promptTokenIds() == null || c.generatedTokenIds() == null
                    || c.sampler() == null) {
                throw new InvalidRequestException("a checkpoint needs id, request, prompt_token_ids,"
                        + " generated_token_ids and sampler");
            }
            return c;
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("malformed checkpoint: " + e.getOriginalMessage());
        }
    }
}
