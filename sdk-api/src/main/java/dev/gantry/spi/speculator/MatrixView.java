package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;

/**
 * Read-only access to one of the target model's weight matrices (the LM head, the token embedding), whatever
 * its stored precision, so draft heads can reuse them without copying. Row {@code r} holds the weights of
 * output {@code r} (for the LM head: vocabulary entry {@code r}). Thread-safe.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface MatrixView {

    /** {@return number of rows} */
    int rows();

    /** {@return elements per row} */
    int cols();

    /**
     * Dot product of row {@code row} with {@code x[xOffset .. xOffset+cols)}.
     *
     * @param row     the row
     * @param x       the vector
     * @param xOffset where the vector starts in {@code x}
     * @return the dot product
     */
    float dotRow(int row, float[] x, int xOffset);

    /**
     * Decodes row {@code row} into {@code dst[dstOffset .. dstOffset+cols)}.
     *
     * @param row       the row
     * @param dst       where to write
     * @param dstOffset where in {@code dst} to start
     */
    void readRow(int row, float[] dst, int dstOffset);

    /**
     * {@code out[r] = row(r) · x} for every row.
     *
     * @param x   the vector, {@code cols()} elements
     * @param out the result, {@code rows()} elements
     */
    default void multiply(float[] x, float[] out) {
        for (int r = 0; r < rows(); r++) {
            out[r] = dotRow(r, x, 0);
        }
    }
}
