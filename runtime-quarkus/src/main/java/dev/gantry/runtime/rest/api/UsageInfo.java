package dev.gantry.runtime.rest.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code usage}: token counts of a request.
 *
 * @param promptTokens        prompt tokens (BOS included), counted once per prompt
 * @param completionTokens    generated tokens, over all choices
 * @param totalTokens         their sum
 * @param promptTokensDetails how many prompt tokens came from the prefix cache
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UsageInfo(int promptTokens, int completionTokens, int totalTokens,
                        PromptTokensDetails promptTokensDetails) {

    /**
     * @param cachedTokens prompt tokens whose KV was found in the prefix cache
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PromptTokensDetails(int cachedTokens) {
    }

    public static UsageInfo of(int promptTokens, int completionTokens, int cachedTokens) {
        return new UsageInfo(promptTokens, completionTokens, promptTokens + completionTokens,
                new PromptTokensDetails(cachedTokens));
    }
}
