package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;

/**
 * How the engine verifies a speculator's draft tree against the target model. Declared by the speculator and
 * reported in metrics.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public enum VerifyMode {
    /**
     * Walk the tree from the root taking the child whose token is the target's argmax; the output equals
     * plain greedy decoding token for token.
     */
    GREEDY_EXACT,
    /**
     * Speculative sampling with residual resampling (SpecInfer/Sequoia multi-candidate form); the output is
     * distributed exactly as sampling from the target. Needs draft probabilities in the tree.
     */
    SAMPLE_LOSSLESS,
    /**
     * Sample from the target at each node and follow the child holding that token, if any (SpecExec); exact
     * in distribution without draft probabilities.
     */
    SAMPLE_FOLLOW_TARGET,
    /** Medusa's typical acceptance: faster, lossy. */
    TYPICAL_LOSSY
}
