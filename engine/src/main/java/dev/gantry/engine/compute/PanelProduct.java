package dev.gantry.engine.compute;

/**
 * The inner kernel of a matrix product over several tokens: a panel of weight rows, already decoded to floats,
 * times the activations of {@code n} tokens. Decoding the panel once and reusing it for every token is what
 * makes batched decode and prefill cheaper per token than one matrix-vector product per token.
 *
 * <p>A product over all columns may be split into column blocks (so that the panel and the activations it
 * meets stay in cache): the caller passes the blocks of one panel in order, flagging the first and the last.
 * Kernels carry their sums from block to block in {@code partial} when the caller gives one (sized by
 * {@link #partialSize}; its contents are the kernel's own between the first and the last block), or add each
 * block's sums to {@code out} when it passes {@code null}.
 *
 * <p>Two implementations: {@link ScalarPanelProduct}, the reference, and {@link VectorPanelProduct}.
 */
interface PanelProduct {

    /** Floats of {@code partial} a panel of {@code panelRows} rows and {@code n} tokens needs. */
    int partialSize(int panelRows, int n);

    /**
     * Adds, for every {@code i < panelRows} and token {@code t < n}, the block's dot product
     * {@code Σ_{k<len} panel[i·len + k] · x[t·xStride + xOffset + k]} to the sum for
     * {@code out[t·outRows + row0 + i]}, which holds the full sum once the {@code last} block is done.
     */
    void multiply(float[] panel, int panelRows, int len, float[] x, int xStride, int xOffset, int n, float[] out,
                  int outRows, int row0, float[] partial, boolean first, boolean last);
}
