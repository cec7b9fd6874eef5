package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;

/**
 * A sequence's committed tokens (prompt then generated, the pending token excluded), read without copying.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface TokenHistory {

    /** {@return number of committed tokens} */
    int length();

    /**
     * Token at index {@code i}, {@code 0 ≤ i < length()}.
     *
     * @param i the index
     * @return the token
     */
    int tokenAt(int i);

    /** {@return number of prompt tokens (the first {@code promptLength()} tokens)} */
    int promptLength();

    /**
     * A copy of the tokens from {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param from the first index, inclusive
     * @param to   the last index, exclusive
     * @return a new array
     */
    default int[] copy(int from, int to) {
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = tokenAt(i);
        }
        return out;
    }
}
