package dev.gantry.engine;

import dev.gantry.engine.sample.SamplingParams;

import java.util.Objects;

/**
 * One generation request: a prompt (text, or token ids when {@code promptTokens} is not null) and how to
 * sample; optionally the continuation of a request another engine (or an earlier run) began.
 *
 * @param prompt          the prompt text; BOS is added when the model's tokenizer says so
 * @param promptTokens    token ids to use verbatim instead of encoding {@code prompt}, or null
 * @param sampling        sampling and stopping settings
 * @param priority        larger runs first under priority-aware schedulers; 0 by default
 * @param generatedTokens output tokens already generated for this request, which the engine takes as its own
 *                        first output tokens instead of generating them; null or empty for a new request
 */
public record GenerationRequest(String prompt, int[] promptTokens, SamplingParams sampling, int priority,
                                int[] generatedTokens) {

    public GenerationRequest {
        if (prompt == null && promptTokens == null) {
            throw new IllegalArgumentException("a request needs a prompt or prompt tokens");
        }
        Objects.requireNonNull(sampling, "sampling");
        promptTokens = promptTokens == null ? null : promptTokens.clone();
        generatedTokens = generatedTokens == null ? new int[0] : generatedTokens.clone();
    }

    /** A new request (nothing generated yet). */
    public GenerationRequest(String prompt, int[] promptTokens, SamplingParams sampling, int priority) {
        this(prompt, promptTokens, sampling, priority, null);
    }

    /** A request for a text prompt. */
    public static GenerationRequest of(String prompt, SamplingParams sampling) {
        return new GenerationRequest(prompt, null, sampling, 0);
    }

    /** A greedy request for a text prompt. */
    public static GenerationRequest greedy(String prompt, int maxTokens) {
        return of(prompt, SamplingParams.greedy(maxTokens));
    }

    /**
     * Continues a request from its progress: the prompt and the tokens generated so far are prefilled, and
     * generation goes on as if it had never stopped. The sampler continues at step {@code generated.length} of
     * {@code sampling}'s seed, stop strings and penalties see the generated tokens, and {@code max_tokens} counts
     * them. Greedy requests, and sampled ones with the seed the first run used, produce exactly the tokens of an
     * uninterrupted run (without a speculator; with one, a sampled continuation keeps the distribution only).
     * The stream carries only the tokens generated after {@code generated}; its usage and result count all.
     *
     * @param promptTokens the prompt's token ids, as the first run used them
     * @param generated    the output tokens generated so far (fewer than {@code sampling.maxTokens()})
     * @param sampling     the first run's sampling settings, with its seed when it sampled
     */
    public static GenerationRequest resume(int[] promptTokens, int[] generated, SamplingParams sampling) {
        return new GenerationRequest(null, Objects.requireNonNull(promptTokens, "promptTokens"), sampling, 0,
                Objects.requireNonNull(generated, "generated"));
    }
}
