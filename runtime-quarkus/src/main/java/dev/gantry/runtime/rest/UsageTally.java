package dev.gantry.runtime.rest;

import dev.gantry.engine.loop.Usage;
import dev.gantry.runtime.rest.api.UsageInfo;

/**
 * Adds up the usage of a request's choices the way OpenAI reports it: a prompt's tokens once, however many
 * choices it has; generated tokens over every choice.
 */
final class UsageTally {

    private final int choicesPerPrompt;
    private int promptTokens;
    private int completionTokens;
    private int cachedTokens;

    /**
     * @param choicesPerPrompt the request's {@code n}; choice {@code i} belongs to prompt {@code i / n}
     */
    UsageTally(int choicesPerPrompt) {
        this.choicesPerPrompt = choicesPerPrompt;
    }

    void add(int choice, Usage usage) {
        if (choice % choicesPerPrompt == 0) {
            promptTokens += usage.promptTokens();
            cachedTokens += usage.cachedTokens();
        }
        completionTokens += usage.completionTokens();
    }

    UsageInfo total() {
        return UsageInfo.of(promptTokens, completionTokens, cachedTokens);
    }
}
