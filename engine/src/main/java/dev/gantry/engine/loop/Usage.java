package dev.gantry.engine.loop;

/**
 * Token counts of a request.
 *
 * @param promptTokens     tokens of the prompt (BOS included when added)
 * @param completionTokens tokens generated
 * @param cachedTokens     prompt tokens whose KV came from the prefix cache
 */
public record Usage(int promptTokens, int completionTokens, int cachedTokens) {

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
