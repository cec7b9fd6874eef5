package dev.gantry.tck;

import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.sample.SamplingParams;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One request of a kit workload: a prompt, how many tokens to generate (the end-of-text token does not stop
 * it, so the load is known in advance) and a priority. Decoding is greedy, so every run of the same workload
 * must give the same tokens, whatever is scheduled around it.
 *
 * @param prompt    the prompt text (BOS is added as the model says)
 * @param maxTokens tokens to generate, at least 1
 * @param priority  larger runs first under priority-aware schedulers
 */
public record KitRequest(String prompt, int maxTokens, int priority) {

    /** A story opening long enough to fill two KV blocks, so prompts built on it share prefix blocks. */
    static final String OPENING = "Once upon a time, there was a little girl named Lily. She loved to play outside"
            + " in the park. One day, she saw a big, red ball.";

    private static final String[] STEMS = {"Once upon a time", "Lily and Tom went to the park", "The little dog",
        "", "She was sad because", OPENING, OPENING + " She wanted to", OPENING + " Her mom said"};

    public KitRequest {
        Objects.requireNonNull(prompt, "prompt");
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
        }
    }

    /** A request at priority 0. */
    public static KitRequest of(String prompt, int maxTokens) {
        return new KitRequest(prompt, maxTokens, 0);
    }

    /**
     * The kit's standard mix: {@code count} story prompts of mixed lengths (the empty prompt among them, some
     * sharing a two-block prefix), each generating {@code maxTokens} tokens, all at priority 0.
     */
    public static List<KitRequest> stories(int count, int maxTokens) {
        List<KitRequest> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String stem = STEMS[i % STEMS.length];
            out.add(of(i < STEMS.length ? stem : stem + " and " + "very ".repeat(i % 5) + "happy", maxTokens));
        }
        return out;
    }

    /** This request at another priority. */
    public KitRequest withPriority(int p) {
        return new KitRequest(prompt, maxTokens, p);
    }

    /** The engine request: greedy, {@code maxTokens} tokens, end-of-text ignored. */
    public GenerationRequest toRequest() {
        return new GenerationRequest(prompt, null, SamplingParams.builder().temperature(0f).maxTokens(maxTokens)
                .ignoreEos(true).build(), priority);
    }
}
