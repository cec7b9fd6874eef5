package dev.gantry.runtime.rest.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * @param count       the number of tokens
 * @param maxModelLen the model's context length
 * @param tokens      the token ids
 * @param tokenStrs   each token's piece, when asked for
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenizeResponse(int count, int maxModelLen, int[] tokens, List<String> tokenStrs) {
}
