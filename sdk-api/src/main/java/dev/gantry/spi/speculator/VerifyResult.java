package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;

/**
 * What verification of a draft tree decided, reported back through {@link Speculator#onVerified}.
 *
 * @param acceptedNodes      the accepted path as node indices, root first (always starts with 0); its tokens
 *                           are now committed, in this order
 * @param nextPendingToken   the new pending token, sampled from the target's logits at the path's last node
 *                           (the "bonus" token)
 * @param targetProbabilities the target's probability of each accepted node's token given its parent's
 *                           context, for online acceptance statistics (entry 0, the root, is {@code NaN})
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record VerifyResult(int[] acceptedNodes, int nextPendingToken, float[] targetProbabilities) {

    /**
     * Checks the path and copies the arrays.
     *
     * @throws IllegalArgumentException when the path does not start at the root or the probabilities do not match it
     */
    public VerifyResult {
        if (acceptedNodes.length == 0 || acceptedNodes[0] != 0) {
            throw new IllegalArgumentException("the accepted path starts at the root");
        }
        if (targetProbabilities.length != acceptedNodes.length) {
            throw new IllegalArgumentException("one target probability per accepted node");
        }
        acceptedNodes = acceptedNodes.clone();
        targetProbabilities = targetProbabilities.clone();
    }

    /** {@return draft tokens accepted beyond the root} */
    public int acceptedDrafts() {
        return acceptedNodes.length - 1;
    }

    /** {@return a copy of the accepted path} */
    @Override
    public int[] acceptedNodes() {
        return acceptedNodes.clone();
    }

    /** {@return a copy of the target probabilities} */
    @Override
    public float[] targetProbabilities() {
        return targetProbabilities.clone();
    }
}
