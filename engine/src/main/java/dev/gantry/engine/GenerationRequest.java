package dev.gantry.engine;

/**
 * One generation: a prompt (text, or token ids when {@code promptTokens} is not null) and how to sample.
 *
 * @param prompt       the prompt text; BOS is added when the model's tokenizer says so
 * @param promptTokens token ids to use verbatim instead of encoding {@code prompt}, or null
 * @param maxTokens    the most tokens to generate
 * @param temperature  0 for greedy decoding
 * @param seed         the sampling seed
 * @param ignoreEos    keep generating past end-of-generation tokens (benchmarks need a fixed length)
 */
public record GenerationRequest(String prompt, int[] promptTokens, int maxTokens, float temperature, long seed,
                                boolean ignoreEos) {

    public GenerationRequest {
        if (prompt == null && promptTokens == null) {
            throw new IllegalArgumentException("a request needs a prompt or prompt tokens");
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must be ≥ 0, was " + maxTokens);
        }
        promptTokens = promptTokens == null ? null : promptTokens.clone();
    }

    /** A greedy request for a text prompt. */
    public static GenerationRequest greedy(String prompt, int maxTokens) {
        return new GenerationRequest(prompt, null, maxTokens, 0f, 0L, false);
    }
}
