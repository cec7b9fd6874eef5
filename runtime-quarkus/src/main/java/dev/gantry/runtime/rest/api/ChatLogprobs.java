package dev.gantry.runtime.rest.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * Log-probabilities of a chat choice's tokens.
 *
 * @param content one entry per generated token
 * @param refusal always null
 */
public record ChatLogprobs(List<TokenLogprob> content, List<TokenLogprob> refusal) {

    /**
     * @param token       the token's text
     * @param logprob     its log-probability
     * @param bytes       its UTF-8 bytes
     * @param topLogprobs the most likely tokens at this position
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TokenLogprob(String token, float logprob, List<Integer> bytes, List<TopLogprob> topLogprobs) {
    }

    /**
     * @param token   the token's text
     * @param logprob its log-probability
     * @param bytes   its UTF-8 bytes
     */
    public record TopLogprob(String token, float logprob, List<Integer> bytes) {
    }
}
