package dev.gantry.engine.compute;

import dev.gantry.engine.tensor.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The prefill kernel: a decoded panel of weight rows times many tokens' activations, with the activations transposed
 * so that a vector holds one column {@code k} of several tokens: for each tile of {@link #TOKENS} tokens, one run of
 * {@code TOKENS} floats per column, the columns one after another. Each weight is broadcast and multiplied into a
 * vector of tokens, as an outer product: a register tile of rows × tokens accumulates whole dot products lane by
 * lane, so no horizontal sums are needed, and each weight read feeds a vector of tokens while each activation vector
 * read feeds every row of the tile.
 *
 * <p>Against {@link VectorPanelProduct}, whose tiles run along {@code k} and must sum their lanes at the end of
 * every column block, this spends its time in multiply-adds: tiles are {@link #ROWS} rows × 2 vectors of tokens (8 ×
 * 32 with 512-bit vectors, 4 × 16 with 256-bit), the accumulators held in registers for a whole column block;
 * between a panel's column blocks the sums wait in a per-thread buffer, tokens contiguous, and reach the output once
 * ({@link #finish}). Panel rows sit {@link #PANEL_STRIDE} floats apart, a constant, so a tile reads its eight rows
 * through one index. A tile's activations lie in one contiguous run, {@code TOKENS} floats per column, so it reads
 * them front to back at a constant stride: stored column by column for all tokens instead (each column's
 * {@code TOKENS} floats a padded token count apart), TinyLlama-shaped Q4_0 layer products at 128 tokens took 7-10 %
 * longer (both layouts alternating in one process, 16 rounds per shape, the order swapped halfway). The transposed
 * activations are padded with zero tokens to a whole number of tiles ({@link #paddedTokens}); sums for padding
 * tokens are dropped. Results agree with {@link ScalarPanelProduct} up to float rounding (each sum is taken in
 * {@code k} order, one multiply-add at a time).
 */
final class BroadcastPanelProduct {

    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.BITS));
    private static final int LANES = F.length();
    /** Rows per tile: 8 × 2 accumulators fit AVX-512's 32 registers, 4 × 2 fit AVX2's 16. */
    static final int ROWS = LANES >= 16 ? 8 : 4;
    /** Tokens per tile. */
    static final int TOKENS = 2 * LANES;
    /**
     * Floats between the starts of two panel rows, whatever the block's length: a constant, so the tiles address
     * their rows as fixed displacements from one index instead of holding one index per row in a register.
     * 256 covers the broadcast path's column blocks (128, or a K-quant's 256-element block).
     */
    static final int PANEL_STRIDE = 256;

    /** {@code n} rounded up to whole tiles of tokens: the row length of the transposed activations. */
    static int paddedTokens(int n) {
        return (n + TOKENS - 1) / TOKENS * TOKENS;
    }

    /** Floats of the per-thread sums a panel of {@code panelRows} rows needs for {@code nPad} padded tokens. */
    static int sumsSize(int panelRows, int nPad) {
        return panelRows * nPad;
    }

    /**
     * Writes columns {@code [k0, k1)} of the {@code n} tokens' activations ({@code x}, {@code cols} floats per
     * token) transposed into {@code xT}, tile by tile of {@link #TOKENS} tokens:
     * {@code xT[(t / TOKENS)·cols·TOKENS + k·TOKENS + t mod TOKENS] = x[t·cols + k]}, zeros for the padding tokens
     * {@code n ≤ t < nPad}.
     */
    static void transpose(float[] x, int cols, int n, int k0, int k1, float[] xT, int nPad) {
        int tileLength = cols * TOKENS;
        // Sixteen columns at a time: the output being filled (sixteen columns of a tile of tokens, 2 KiB) stays in
        // the L1 cache while every token's slice of the input passes.
        for (int kb = k0; kb < k1; kb += 16) {
            int ke = Math.min(k1, kb + 16);
            for (int t = 0; t < nPad; t++) {
                int dst = t / TOKENS * tileLength + t % TOKENS;
                int src = t * cols;
                for (int k = kb; k < ke; k++) {
                    xT[dst + k * TOKENS] = t < n ? x[src + k] : 0f;
                }
            }
        }
    }

    /**
     * Adds, for every row {@code i < panelRows} and padded token {@code t < nPad}, the block's dot product
     * {@code Σ_{k<len} panel[i·PANEL_STRIDE + k] · xT(k0 + k, t)} ({@code len ≤ PANEL_STRIDE}, {@code xT} as
     * {@link #transpose} wrote it for {@code cols} columns) to
     * {@code sums[i·nPad + t]}, or stores it there when {@code first}. The sums stay in this layout (tokens
     * contiguous, in the cache) over a panel's column blocks; {@link #finish} moves them to the output once.
     */
    void multiply(float[] panel, int panelRows, int len, float[] xT, int nPad, int cols, int k0, float[] sums,
                  boolean first) {
        for (int t0 = 0; t0 < nPad; t0 += TOKENS) {
            // This tile of tokens is block t0 / TOKENS of the transposed activations, cols × TOKENS floats long.
            int xi = t0 * cols + k0 * TOKENS;
            int i = 0;
            if (ROWS == 8) {
                for (; i + 8 <= panelRows; i += 8) {
                    tile8(panel, i, len, xT, nPad, xi, sums, i * nPad + t0, first);
                }
            }
            for (; i + 4 <= panelRows; i += 4) {
                tile4(panel, i, len, xT, nPad, xi, sums, i * nPad + t0, first);
            }
            for (; i < panelRows; i++) {
                tile1(panel, i, len, xT, nPad, xi, sums, i * nPad + t0, first);
            }
        }
    }

    /** Moves a panel's finished sums to {@code out[t·outRows + row0 + i]} for the {@code n} real tokens. */
    static void finish(float[] sums, int panelRows, int nPad, int n, float[] out, int outRows, int row0) {
        for (int t = 0; t < n; t++) {
            int o = t * outRows + row0;
            for (int i = 0, s = t; i < panelRows; i++, s += nPad) {
                out[o + i] = sums[s];
            }
        }
    }


    /** Eight rows × {@link #TOKENS} tokens (512-bit vectors only: 16 accumulators). */
    private static void tile8(float[] panel, int row, int len, float[] xT, int nPad, int xi0, float[] sums,
                              int s0, boolean first) {
        int w = row * PANEL_STRIDE;
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F);
        FloatVector a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F);
        FloatVector a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F);
        FloatVector a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F);
        FloatVector a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F);
        FloatVector a51 = FloatVector.zero(F);
        FloatVector a60 = FloatVector.zero(F);
        FloatVector a61 = FloatVector.zero(F);
        FloatVector a70 = FloatVector.zero(F);
        FloatVector a71 = FloatVector.zero(F);
        int k = 0;
        int xi = xi0;
        // Four columns per pass, each as the tail loop below takes one (so sums are unchanged): the JIT did not
        // unroll this loop itself (when its stride through xT was a variable), and each pass's index arithmetic, range
        // checks and branch would otherwise take issue slots from sixteen multiply-adds. TinyLlama-shaped Q4_0 layer
        // weights at 128 tokens, both builds alternating in one process: 1.82 s → 1.26 s per pass over them.
        for (; k + 4 <= len; k += 4, xi += 4 * TOKENS) {
            FloatVector u0 = FloatVector.fromArray(F, xT, xi);
            FloatVector u1 = FloatVector.fromArray(F, xT, xi + LANES);
            FloatVector b0 = FloatVector.broadcast(F, panel[w + k]);
            a00 = b0.fma(u0, a00);
            a01 = b0.fma(u1, a01);
            FloatVector b1 = FloatVector.broadcast(F, panel[w + k + 1 * PANEL_STRIDE]);
            a10 = b1.fma(u0, a10);
            a11 = b1.fma(u1, a11);
            FloatVector b2 = FloatVector.broadcast(F, panel[w + k + 2 * PANEL_STRIDE]);
            a20 = b2.fma(u0, a20);
            a21 = b2.fma(u1, a21);
            FloatVector b3 = FloatVector.broadcast(F, panel[w + k + 3 * PANEL_STRIDE]);
            a30 = b3.fma(u0, a30);
            a31 = b3.fma(u1, a31);
            FloatVector b4 = FloatVector.broadcast(F, panel[w + k + 4 * PANEL_STRIDE]);
            a40 = b4.fma(u0, a40);
            a41 = b4.fma(u1, a41);
            FloatVector b5 = FloatVector.broadcast(F, panel[w + k + 5 * PANEL_STRIDE]);
            a50 = b5.fma(u0, a50);
            a51 = b5.fma(u1, a51);
            FloatVector b6 = FloatVector.broadcast(F, panel[w + k + 6 * PANEL_STRIDE]);
            a60 = b6.fma(u0, a60);
            a61 = b6.fma(u1, a61);
            FloatVector b7 = FloatVector.broadcast(F, panel[w + k + 7 * PANEL_STRIDE]);
            a70 = b7.fma(u0, a70);
            a71 = b7.fma(u1, a71);
            FloatVector u0_1 = FloatVector.fromArray(F, xT, xi + 1 * TOKENS);
            FloatVector u1_1 = FloatVector.fromArray(F, xT, xi + 1 * TOKENS + LANES);
            FloatVector b0_1 = FloatVector.broadcast(F, panel[w + k + 1]);
            a00 = b0_1.fma(u0_1, a00);
            a01 = b0_1.fma(u1_1, a01);
            FloatVector b1_1 = FloatVector.broadcast(F, panel[w + k + 1 + 1 * PANEL_STRIDE]);
            a10 = b1_1.fma(u0_1, a10);
            a11 = b1_1.fma(u1_1, a11);
            FloatVector b2_1 = FloatVector.broadcast(F, panel[w + k + 1 + 2 * PANEL_STRIDE]);
            a20 = b2_1.fma(u0_1, a20);
            a21 = b2_1.fma(u1_1, a21);
            FloatVector b3_1 = FloatVector.broadcast(F, panel[w + k + 1 + 3 * PANEL_STRIDE]);
            a30 = b3_1.fma(u0_1, a30);
            a31 = b3_1.fma(u1_1, a31);
            FloatVector b4_1 = FloatVector.broadcast(F, panel[w + k + 1 + 4 * PANEL_STRIDE]);
            a40 = b4_1.fma(u0_1, a40);
            a41 = b4_1.fma(u1_1, a41);
            FloatVector b5_1 = FloatVector.broadcast(F, panel[w + k + 1 + 5 * PANEL_STRIDE]);
            a50 = b5_1.fma(u0_1, a50);
            a51 = b5_1.fma(u1_1, a51);
            FloatVector b6_1 = FloatVector.broadcast(F, panel[w + k + 1 + 6 * PANEL_STRIDE]);
            a60 = b6_1.fma(u0_1, a60);
            a61 = b6_1.fma(u1_1, a61);
            FloatVector b7_1 = FloatVector.broadcast(F, panel[w + k + 1 + 7 * PANEL_STRIDE]);
            a70 = b7_1.fma(u0_1, a70);
            a71 = b7_1.fma(u1_1, a71);
            FloatVector u0_2 = FloatVector.fromArray(F, xT, xi + 2 * TOKENS);
            FloatVector u1_2 = FloatVector.fromArray(F, xT, xi + 2 * TOKENS + LANES);
            FloatVector b0_2 = FloatVector.broadcast(F, panel[w + k + 2]);
            a00 = b0_2.fma(u0_2, a00);
            a01 = b0_2.fma(u1_2, a01);
            FloatVector b1_2 = FloatVector.broadcast(F, panel[w + k + 2 + 1 * PANEL_STRIDE]);
            a10 = b1_2.fma(u0_2, a10);
            a11 = b1_2.fma(u1_2, a11);
            FloatVector b2_2 = FloatVector.broadcast(F, panel[w + k + 2 + 2 * PANEL_STRIDE]);
            a20 = b2_2.fma(u0_2, a20);
            a21 = b2_2.fma(u1_2, a21);
            FloatVector b3_2 = FloatVector.broadcast(F, panel[w + k + 2 + 3 * PANEL_STRIDE]);
            a30 = b3_2.fma(u0_2, a30);
            a31 = b3_2.fma(u1_2, a31);
            FloatVector b4_2 = FloatVector.broadcast(F, panel[w + k + 2 + 4 * PANEL_STRIDE]);
            a40 = b4_2.fma(u0_2, a40);
            a41 = b4_2.fma(u1_2, a41);
            FloatVector b5_2 = FloatVector.broadcast(F, panel[w + k + 2 + 5 * PANEL_STRIDE]);
            a50 = b5_2.fma(u0_2, a50);
            a51 = b5_2.fma(u1_2, a51);
            FloatVector b6_2 = FloatVector.broadcast(F, panel[w + k + 2 + 6 * PANEL_STRIDE]);
            a60 = b6_2.fma(u0_2, a60);
            a61 = b6_2.fma(u1_2, a61);
            FloatVector b7_2 = FloatVector.broadcast(F, panel[w + k + 2 + 7 * PANEL_STRIDE]);
            a70 = b7_2.fma(u0_2, a70);
            a71 = b7_2.fma(u1_2, a71);
            FloatVector u0_3 = FloatVector.fromArray(F, xT, xi + 3 * TOKENS);
            FloatVector u1_3 = FloatVector.fromArray(F, xT, xi + 3 * TOKENS + LANES);
            FloatVector b0_3 = FloatVector.broadcast(F, panel[w + k + 3]);
            a00 = b0_3.fma(u0_3, a00);
            a01 = b0_3.fma(u1_3, a01);
            FloatVector b1_3 = FloatVector.broadcast(F, panel[w + k + 3 + 1 * PANEL_STRIDE]);
            a10 = b1_3.fma(u0_3, a10);
            a11 = b1_3.fma(u1_3, a11);
            FloatVector b2_3 = FloatVector.broadcast(F, panel[w + k + 3 + 2 * PANEL_STRIDE]);
            a20 = b2_3.fma(u0_3, a20);
            a21 = b2_3.fma(u1_3, a21);
            FloatVector b3_3 = FloatVector.broadcast(F, panel[w + k + 3 + 3 * PANEL_STRIDE]);
            a30 = b3_3.fma(u0_3, a30);
            a31 = b3_3.fma(u1_3, a31);
            FloatVector b4_3 = FloatVector.broadcast(F, panel[w + k + 3 + 4 * PANEL_STRIDE]);
            a40 = b4_3.fma(u0_3, a40);
            a41 = b4_3.fma(u1_3, a41);
            FloatVector b5_3 = FloatVector.broadcast(F, panel[w + k + 3 + 5 * PANEL_STRIDE]);
            a50 = b5_3.fma(u0_3, a50);
            a51 = b5_3.fma(u1_3, a51);
            FloatVector b6_3 = FloatVector.broadcast(F, panel[w + k + 3 + 6 * PANEL_STRIDE]);
            a60 = b6_3.fma(u0_3, a60);
            a61 = b6_3.fma(u1_3, a61);
            FloatVector b7_3 = FloatVector.broadcast(F, panel[w + k + 3 + 7 * PANEL_STRIDE]);
            a70 = b7_3.fma(u0_3, a70);
            a71 = b7_3.fma(u1_3, a71);
        }
        for (; k < len; k++, xi += TOKENS) {
            FloatVector u0 = FloatVector.fromArray(F, xT, xi);
            FloatVector u1 = FloatVector.fromArray(F, xT, xi + LANES);
            FloatVector b0 = FloatVector.broadcast(F, panel[w + k]);
            a00 = b0.fma(u0, a00);
            a01 = b0.fma(u1, a01);
            FloatVector b1 = FloatVector.broadcast(F, panel[w + k + 1 * PANEL_STRIDE]);
            a10 = b1.fma(u0, a10);
            a11 = b1.fma(u1, a11);
            FloatVector b2 = FloatVector.broadcast(F, panel[w + k + 2 * PANEL_STRIDE]);
            a20 = b2.fma(u0, a20);
            a21 = b2.fma(u1, a21);
            FloatVector b3 = FloatVector.broadcast(F, panel[w + k + 3 * PANEL_STRIDE]);
            a30 = b3.fma(u0, a30);
            a31 = b3.fma(u1, a31);
            FloatVector b4 = FloatVector.broadcast(F, panel[w + k + 4 * PANEL_STRIDE]);
            a40 = b4.fma(u0, a40);
            a41 = b4.fma(u1, a41);
            FloatVector b5 = FloatVector.broadcast(F, panel[w + k + 5 * PANEL_STRIDE]);
            a50 = b5.fma(u0, a50);
            a51 = b5.fma(u1, a51);
            FloatVector b6 = FloatVector.broadcast(F, panel[w + k + 6 * PANEL_STRIDE]);
            a60 = b6.fma(u0, a60);
            a61 = b6.fma(u1, a61);
            FloatVector b7 = FloatVector.broadcast(F, panel[w + k + 7 * PANEL_STRIDE]);
            a70 = b7.fma(u0, a70);
            a71 = b7.fma(u1, a71);
        }
        if (!first) {
            a00 = a00.add(FloatVector.fromArray(F, sums, s0));
            a01 = a01.add(FloatVector.fromArray(F, sums, s0 + LANES));
            a10 = a10.add(FloatVector.fromArray(F, sums, s0 + 1 * nPad));
            a11 = a11.add(FloatVector.fromArray(F, sums, s0 + 1 * nPad + LANES));
            a20 = a20.add(FloatVector.fromArray(F, sums, s0 + 2 * nPad));
            a21 = a21.add(FloatVector.fromArray(F, sums, s0 + 2 * nPad + LANES));
            a30 = a30.add(FloatVector.fromArray(F, sums, s0 + 3 * nPad));
            a31 = a31.add(FloatVector.fromArray(F, sums, s0 + 3 * nPad + LANES));
            a40 = a40.add(FloatVector.fromArray(F, sums, s0 + 4 * nPad));
            a41 = a41.add(FloatVector.fromArray(F, sums, s0 + 4 * nPad + LANES));
            a50 = a50.add(FloatVector.fromArray(F, sums, s0 + 5 * nPad));
            a51 = a51.add(FloatVector.fromArray(F, sums, s0 + 5 * nPad + LANES));
            a60 = a60.add(FloatVector.fromArray(F, sums, s0 + 6 * nPad));
            a61 = a61.add(FloatVector.fromArray(F, sums, s0 + 6 * nPad + LANES));
            a70 = a70.add(FloatVector.fromArray(F, sums, s0 + 7 * nPad));
            a71 = a71.add(FloatVector.fromArray(F, sums, s0 + 7 * nPad + LANES));
        }
        a00.intoArray(sums, s0);
        a01.intoArray(sums, s0 + LANES);
        a10.intoArray(sums, s0 + 1 * nPad);
        a11.intoArray(sums, s0 + 1 * nPad + LANES);
        a20.intoArray(sums, s0 + 2 * nPad);
        a21.intoArray(sums, s0 + 2 * nPad + LANES);
        a30.intoArray(sums, s0 + 3 * nPad);
        a31.intoArray(sums, s0 + 3 * nPad + LANES);
        a40.intoArray(sums, s0 + 4 * nPad);
        a41.intoArray(sums, s0 + 4 * nPad + LANES);
        a50.intoArray(sums, s0 + 5 * nPad);
        a51.intoArray(sums, s0 + 5 * nPad + LANES);
        a60.intoArray(sums, s0 + 6 * nPad);
        a61.intoArray(sums, s0 + 6 * nPad + LANES);
        a70.intoArray(sums, s0 + 7 * nPad);
        a71.intoArray(sums, s0 + 7 * nPad + LANES);
    }
    /** Four rows × {@link #TOKENS} tokens. */
    private static void tile4(float[] panel, int row, int len, float[] xT, int nPad, int xi0, float[] sums,
                              int s0, boolean first) {
        int w = row * PANEL_STRIDE;
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F);
        FloatVector a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F);
        FloatVector a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F);
        FloatVector a31 = FloatVector.zero(F);
        for (int k = 0, xi = xi0; k < len; k++, xi += TOKENS) {
            FloatVector u0 = FloatVector.fromArray(F, xT, xi);
            FloatVector u1 = FloatVector.fromArray(F, xT, xi + LANES);
            FloatVector b0 = FloatVector.broadcast(F, panel[w + k]);
            a00 = b0.fma(u0, a00);
            a01 = b0.fma(u1, a01);
            FloatVector b1 = FloatVector.broadcast(F, panel[w + k + 1 * PANEL_STRIDE]);
            a10 = b1.fma(u0, a10);
            a11 = b1.fma(u1, a11);
            FloatVector b2 = FloatVector.broadcast(F, panel[w + k + 2 * PANEL_STRIDE]);
            a20 = b2.fma(u0, a20);
            a21 = b2.fma(u1, a21);
            FloatVector b3 = FloatVector.broadcast(F, panel[w + k + 3 * PANEL_STRIDE]);
            a30 = b3.fma(u0, a30);
            a31 = b3.fma(u1, a31);
        }
        if (!first) {
            a00 = a00.add(FloatVector.fromArray(F, sums, s0));
            a01 = a01.add(FloatVector.fromArray(F, sums, s0 + LANES));
            a10 = a10.add(FloatVector.fromArray(F, sums, s0 + 1 * nPad));
            a11 = a11.add(FloatVector.fromArray(F, sums, s0 + 1 * nPad + LANES));
            a20 = a20.add(FloatVector.fromArray(F, sums, s0 + 2 * nPad));
            a21 = a21.add(FloatVector.fromArray(F, sums, s0 + 2 * nPad + LANES));
            a30 = a30.add(FloatVector.fromArray(F, sums, s0 + 3 * nPad));
            a31 = a31.add(FloatVector.fromArray(F, sums, s0 + 3 * nPad + LANES));
        }
        a00.intoArray(sums, s0);
        a01.intoArray(sums, s0 + LANES);
        a10.intoArray(sums, s0 + 1 * nPad);
        a11.intoArray(sums, s0 + 1 * nPad + LANES);
        a20.intoArray(sums, s0 + 2 * nPad);
        a21.intoArray(sums, s0 + 2 * nPad + LANES);
        a30.intoArray(sums, s0 + 3 * nPad);
        a31.intoArray(sums, s0 + 3 * nPad + LANES);
    }
    /** One row × {@link #TOKENS} tokens: the rows a panel has past its last whole tile. */
    private static void tile1(float[] panel, int row, int len, float[] xT, int nPad, int xi0, float[] sums,
                              int s0, boolean first) {
        int w = row * PANEL_STRIDE;
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = FloatVector.zero(F);
        for (int k = 0, xi = xi0; k < len; k++, xi += TOKENS) {
            FloatVector u0 = FloatVector.fromArray(F, xT, xi);
            FloatVector u1 = FloatVector.fromArray(F, xT, xi + LANES);
            FloatVector b0 = FloatVector.broadcast(F, panel[w + k]);
            a00 = b0.fma(u0, a00);
            a01 = b0.fma(u1, a01);
        }
        if (!first) {
            a00 = a00.add(FloatVector.fromArray(F, sums, s0));
            a01 = a01.add(FloatVector.fromArray(F, sums, s0 + LANES));
        }
        a00.intoArray(sums, s0);
        a01.intoArray(sums, s0 + LANES);
    }
}
