package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;

/**
 * A sequence's committed tokens (prompt then generated, the pending token excluded), read without copying.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface TokenHistory {

    /** Number of committed tokens. */
    int length();

    /** Token at index {@code i}, 0 ≤ i < length(). */
    int tokenAt(int i);

    /** Number of prompt tokens (the first {@code promptLength()} tokens). */
    int promptLength();

    /** A copy of the tokens from {@code from} (inclusive) to {@code to} (exclusive). */
    default int[] copy(int from, int to) {
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = tokenAt(i);
        }
        return out;
    }
}
