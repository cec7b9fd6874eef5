package dev.gantry.engine;

/**
 * What a generation produced.
 *
 * @param promptTokens the prompt as token ids, BOS included when it was added
 * @param tokens       the generated ids only, ending at EOS (excluded) or the token limit
 * @param text         the generated pieces decoded exactly (nothing stripped)
 * @param finishReason {@code stop} at an end-of-generation token, {@code length} at the limit
 * @param prefillNanos time spent processing the prompt
 * @param decodeNanos  time spent generating after the first token
 */
public record GenerationResult(int[] promptTokens, int[] tokens, String text, String finishReason, long prefillNanos,
                               long decodeNanos) {
}
