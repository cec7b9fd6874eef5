package dev.gantry.runtime.rest.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * {@code POST /tokenize} (vLLM's shape): a completion prompt, or chat messages rendered with the chat template.
 *
 * @param model               the model's id; null means the served model
 * @param prompt              text to encode (give this or {@code messages})
 * @param messages            a conversation to render and encode
 * @param addSpecialTokens    for a prompt, whether BOS is added as for a completion (default true)
 * @param addGenerationPrompt for messages, whether the template ends with the assistant cue (default true)
 * @param returnTokenStrs     also return each token's piece
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TokenizeRequest(String model, String prompt, List<ChatMessage> messages, Boolean addSpecialTokens,
                              Boolean addGenerationPrompt, Boolean returnTokenStrs) {
}
