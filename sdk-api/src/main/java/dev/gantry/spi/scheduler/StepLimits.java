package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;

/**
 * The bounds of one step, from configuration.
 *
 * @param maxTokens    tokens one forward pass may process, prefill chunks and decodes together
 * @param maxSequences sequences one step may run
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record StepLimits(int maxTokens, int maxSequences) {

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException when either is not positive
     */
    public StepLimits {
        if (maxTokens < 1 || maxSequences < 1) {
            throw new IllegalArgumentException("step limits must be positive: maxTokens " + maxTokens
                    + ", maxSequences " + maxSequences);
        }
    }
}
