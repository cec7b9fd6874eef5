package dev.gantry.engine;

import dev.gantry.engine.sample.SamplingParams;

import java.util.Objects;

/**
 * One generation request: a prompt (text, or token ids when {@code promptTokens} is not null) and how to
 * sample.
 *
 * @param prompt       the prompt text; BOS is added when the model's tokenizer says so
 * @param promptTokens token ids to use verbatim instead of encoding {@code prompt}, or null
 * @param sampling     sampling and stopping settings
 * @param priority     larger runs first under priority-aware schedulers; 0 by default
 */
public record GenerationRequest(String prompt, int[] promptTokens, SamplingParams sampling, int priority) {

    public GenerationRequest {
        if (prompt == null && promptTokens == null) {
            throw new IllegalArgumentException("a request needs a prompt or prompt tokens");
        }
        Objects.requireNonNull(sampling, "sampling");
        promptTokens = promptTokens == null ? null : promptTokens.clone();
    }

    /** A request for a text prompt. */
    public static GenerationRequest of(String prompt, SamplingParams sampling) {
        return new GenerationRequest(prompt, null, sampling, 0);
    }

    /** A greedy request for a text prompt. */
    public static GenerationRequest greedy(String prompt, int maxTokens) {
        return of(prompt, SamplingParams.greedy(maxTokens));
    }
}
