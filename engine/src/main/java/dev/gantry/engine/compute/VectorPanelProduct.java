package dev.gantry.engine.compute;

import dev.gantry.engine.tensor.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PanelProduct} with the Vector API, as register tiles: four weight rows against several tokens at a
 * time, each pair with its own accumulator, so one load of a weight vector feeds every token of the tile and
 * one load of an activation vector feeds every row. Tiles are 4 rows × 4 tokens where the machine has 32
 * vector registers' worth of room (512-bit vectors), 4 × 2 otherwise, so the accumulators stay in registers;
 * leftover tokens and rows take narrower tiles.
 *
 * <p>Across column blocks the accumulators are kept lane by lane in the caller's partial buffer (when it gives
 * one) and reduced to a number once, at the last block; without one, each block's sums are reduced and added
 * to the output. Results agree with {@link ScalarPanelProduct} up to float rounding.
 */
final class VectorPanelProduct implements PanelProduct {

    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.BITS));
    private static final int LANES = F.length();
    /** Tokens per tile: 4 × 4 accumulators fit AVX-512's 32 registers; 4 × 2 fit AVX2's 16. */
    private static final int TOKENS = LANES >= 16 ? 4 : 2;
    /** Where tiles that start afresh load their accumulators from. */
    private static final float[] ZEROS = new float[LANES];

    /**
     * What a call does with its sums. With a partial buffer: ONLY (one block: reduce and store), START (first of
     * several: keep the lanes), RESUME (a middle block: continue from and keep the lanes), FINISH (last: continue
     * and reduce). Without one: ONLY for the first block, ADD (reduce and add to the output) for the others.
     */
    private static final int ONLY = 0;
    private static final int START = 1;
    private static final int RESUME = 2;
    private static final int FINISH = 3;
    private static final int ADD = 4;

    @Override
    public int partialSize(int panelRows, int n) {
        return panelRows * n * LANES;
    }

    @Override
    public void multiply(float[] panel, int panelRows, int len, float[] x, int xStride, int xOffset, int n,
                         float[] out, int outRows, int row0, float[] partial, boolean first, boolean last) {
        int mode = partial == null ? (first ? ONLY : ADD)
                : first ? (last ? ONLY : START) : (last ? FINISH : RESUME);
        // Partial sums: one vector per (token, row), token-major.
        int pStride = panelRows * LANES;
        int t = 0;
        for (; t + TOKENS <= n; t += TOKENS) {
            int i = 0;
            for (; i + 4 <= panelRows; i += 4) {
                int o0 = t * outRows + row0 + i;
                int p0 = (t * panelRows + i) * LANES;
                if (TOKENS == 4) {
                    tile4x4(panel, i, len, x, xStride, t * xStride + xOffset, out, o0, outRows, partial, p0, pStride,
                            mode);
                } else {
                    tile4x2(panel, i, len, x, xStride, t * xStride + xOffset, out, o0, outRows, partial, p0, pStride,
                            mode);
                }
            }
            for (; i < panelRows; i++) {
                for (int u = t; u < t + TOKENS; u++) {
                    tile1x1(panel, i, len, x, u * xStride + xOffset, out, u * outRows + row0 + i, partial,
                            (u * panelRows + i) * LANES, mode);
                }
            }
        }
        for (; t < n; t++) {
            int i = 0;
            for (; i + 4 <= panelRows; i += 4) {
                tile4x1(panel, i, len, x, xStride, t * xStride + xOffset, out, t * outRows + row0 + i, outRows,
                        partial, (t * panelRows + i) * LANES, pStride, mode);
            }
            for (; i < panelRows; i++) {
                tile1x1(panel, i, len, x, t * xStride + xOffset, out, t * outRows + row0 + i, partial,
                        (t * panelRows + i) * LANES, mode);
            }
        }
    }

    /** Stores a finished sum, or adds it to the output's sum of earlier column blocks. */
    private static void store(float[] out, int index, float value, int mode) {
        out[index] = mode == ADD ? out[index] + value : value;
    }

    private static void tile4x4(float[] w, int row, int len, float[] x, int xStride, int x0, float[] out,
                                 int o0, int outRows, float[] partial, int p0, int pStride, int mode) {
        int w0 = row * len;
        int w1 = w0 + len;
        int w2 = w1 + len;
        int w3 = w2 + len;
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        // Resuming tiles start from the partial sums, the others from zeros: a choice of array and offsets, not of
        // vectors, which the compiler would otherwise have to box to merge.
        boolean resume = mode == RESUME || mode == FINISH;
        float[] init = resume ? partial : ZEROS;
        int i0 = resume ? p0 : 0;
        int lane = resume ? LANES : 0;
        int stride = resume ? pStride : 0;
        FloatVector a00 = FloatVector.fromArray(F, init, i0);
        FloatVector a10 = FloatVector.fromArray(F, init, i0 + lane);
        FloatVector a20 = FloatVector.fromArray(F, init, i0 + 2 * lane);
        FloatVector a30 = FloatVector.fromArray(F, init, i0 + 3 * lane);
        FloatVector a01 = FloatVector.fromArray(F, init, i0 + stride);
        FloatVector a11 = FloatVector.fromArray(F, init, i0 + stride + lane);
        FloatVector a21 = FloatVector.fromArray(F, init, i0 + stride + 2 * lane);
        FloatVector a31 = FloatVector.fromArray(F, init, i0 + stride + 3 * lane);
        FloatVector a02 = FloatVector.fromArray(F, init, i0 + 2 * stride);
        FloatVector a12 = FloatVector.fromArray(F, init, i0 + 2 * stride + lane);
        FloatVector a22 = FloatVector.fromArray(F, init, i0 + 2 * stride + 2 * lane);
        FloatVector a32 = FloatVector.fromArray(F, init, i0 + 2 * stride + 3 * lane);
        FloatVector a03 = FloatVector.fromArray(F, init, i0 + 3 * stride);
        FloatVector a13 = FloatVector.fromArray(F, init, i0 + 3 * stride + lane);
        FloatVector a23 = FloatVector.fromArray(F, init, i0 + 3 * stride + 2 * lane);
        FloatVector a33 = FloatVector.fromArray(F, init, i0 + 3 * stride + 3 * lane);
        int k = 0;
        for (int bound = F.loopBound(len); k < bound; k += LANES) {
            FloatVector v0 = FloatVector.fromArray(F, w, w0 + k);
            FloatVector v1 = FloatVector.fromArray(F, w, w1 + k);
            FloatVector v2 = FloatVector.fromArray(F, w, w2 + k);
            FloatVector v3 = FloatVector.fromArray(F, w, w3 + k);
            FloatVector u = FloatVector.fromArray(F, x, x0 + k);
            a00 = v0.fma(u, a00);
            a10 = v1.fma(u, a10);
            a20 = v2.fma(u, a20);
            a30 = v3.fma(u, a30);
            u = FloatVector.fromArray(F, x, x1 + k);
            a01 = v0.fma(u, a01);
            a11 = v1.fma(u, a11);
            a21 = v2.fma(u, a21);
            a31 = v3.fma(u, a31);
            u = FloatVector.fromArray(F, x, x2 + k);
            a02 = v0.fma(u, a02);
            a12 = v1.fma(u, a12);
            a22 = v2.fma(u, a22);
            a32 = v3.fma(u, a32);
            u = FloatVector.fromArray(F, x, x3 + k);
            a03 = v0.fma(u, a03);
            a13 = v1.fma(u, a13);
            a23 = v2.fma(u, a23);
            a33 = v3.fma(u, a33);
        }
        if (mode == RESUME || mode == START) {
            a00.intoArray(partial, p0);
            a10.intoArray(partial, p0 + LANES);
            a20.intoArray(partial, p0 + 2 * LANES);
            a30.intoArray(partial, p0 + 3 * LANES);
            a01.intoArray(partial, p0 + pStride);
            a11.intoArray(partial, p0 + pStride + LANES);
            a21.intoArray(partial, p0 + pStride + 2 * LANES);
            a31.intoArray(partial, p0 + pStride + 3 * LANES);
            a02.intoArray(partial, p0 + 2 * pStride);
            a12.intoArray(partial, p0 + 2 * pStride + LANES);
            a22.intoArray(partial, p0 + 2 * pStride + 2 * LANES);
            a32.intoArray(partial, p0 + 2 * pStride + 3 * LANES);
            a03.intoArray(partial, p0 + 3 * pStride);
            a13.intoArray(partial, p0 + 3 * pStride + LANES);
            a23.intoArray(partial, p0 + 3 * pStride + 2 * LANES);
            a33.intoArray(partial, p0 + 3 * pStride + 3 * LANES);
            return;
        }
        store(out, o0, a00.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x0, k, len), mode);
        store(out, o0 + 1, a10.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x0, k, len), mode);
        store(out, o0 + 2, a20.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x0, k, len), mode);
        store(out, o0 + 3, a30.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x0, k, len), mode);
        store(out, o0 + outRows, a01.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x1, k, len), mode);
        store(out, o0 + outRows + 1, a11.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x1, k, len), mode);
        store(out, o0 + outRows + 2, a21.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x1, k, len), mode);
        store(out, o0 + outRows + 3, a31.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x1, k, len), mode);
        store(out, o0 + 2 * outRows, a02.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x2, k, len), mode);
        store(out, o0 + 2 * outRows + 1, a12.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x2, k, len), mode);
        store(out, o0 + 2 * outRows + 2, a22.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x2, k, len), mode);
        store(out, o0 + 2 * outRows + 3, a32.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x2, k, len), mode);
        store(out, o0 + 3 * outRows, a03.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x3, k, len), mode);
        store(out, o0 + 3 * outRows + 1, a13.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x3, k, len), mode);
        store(out, o0 + 3 * outRows + 2, a23.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x3, k, len), mode);
        store(out, o0 + 3 * outRows + 3, a33.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x3, k, len), mode);
    }

    private static void tile4x2(float[] w, int row, int len, float[] x, int xStride, int x0, float[] out,
                                 int o0, int outRows, float[] partial, int p0, int pStride, int mode) {
        int w0 = row * len;
        int w1 = w0 + len;
        int w2 = w1 + len;
        int w3 = w2 + len;
        int x1 = x0 + xStride;
        // Resuming tiles start from the partial sums, the others from zeros: a choice of array and offsets, not of
        // vectors, which the compiler would otherwise have to box to merge.
        boolean resume = mode == RESUME || mode == FINISH;
        float[] init = resume ? partial : ZEROS;
        int i0 = resume ? p0 : 0;
        int lane = resume ? LANES : 0;
        int stride = resume ? pStride : 0;
        FloatVector a00 = FloatVector.fromArray(F, init, i0);
        FloatVector a10 = FloatVector.fromArray(F, init, i0 + lane);
        FloatVector a20 = FloatVector.fromArray(F, init, i0 + 2 * lane);
        FloatVector a30 = FloatVector.fromArray(F, init, i0 + 3 * lane);
        FloatVector a01 = FloatVector.fromArray(F, init, i0 + stride);
        FloatVector a11 = FloatVector.fromArray(F, init, i0 + stride + lane);
        FloatVector a21 = FloatVector.fromArray(F, init, i0 + stride + 2 * lane);
        FloatVector a31 = FloatVector.fromArray(F, init, i0 + stride + 3 * lane);
        int k = 0;
        for (int bound = F.loopBound(len); k < bound; k += LANES) {
            FloatVector v0 = FloatVector.fromArray(F, w, w0 + k);
            FloatVector v1 = FloatVector.fromArray(F, w, w1 + k);
            FloatVector v2 = FloatVector.fromArray(F, w, w2 + k);
            FloatVector v3 = FloatVector.fromArray(F, w, w3 + k);
            FloatVector u = FloatVector.fromArray(F, x, x0 + k);
            a00 = v0.fma(u, a00);
            a10 = v1.fma(u, a10);
            a20 = v2.fma(u, a20);
            a30 = v3.fma(u, a30);
            u = FloatVector.fromArray(F, x, x1 + k);
            a01 = v0.fma(u, a01);
            a11 = v1.fma(u, a11);
            a21 = v2.fma(u, a21);
            a31 = v3.fma(u, a31);
        }
        if (mode == RESUME || mode == START) {
            a00.intoArray(partial, p0);
            a10.intoArray(partial, p0 + LANES);
            a20.intoArray(partial, p0 + 2 * LANES);
            a30.intoArray(partial, p0 + 3 * LANES);
            a01.intoArray(partial, p0 + pStride);
            a11.intoArray(partial, p0 + pStride + LANES);
            a21.intoArray(partial, p0 + pStride + 2 * LANES);
            a31.intoArray(partial, p0 + pStride + 3 * LANES);
            return;
        }
        store(out, o0, a00.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x0, k, len), mode);
        store(out, o0 + 1, a10.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x0, k, len), mode);
        store(out, o0 + 2, a20.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x0, k, len), mode);
        store(out, o0 + 3, a30.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x0, k, len), mode);
        store(out, o0 + outRows, a01.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x1, k, len), mode);
        store(out, o0 + outRows + 1, a11.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x1, k, len), mode);
        store(out, o0 + outRows + 2, a21.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x1, k, len), mode);
        store(out, o0 + outRows + 3, a31.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x1, k, len), mode);
    }

    private static void tile4x1(float[] w, int row, int len, float[] x, int xStride, int x0, float[] out,
                                 int o0, int outRows, float[] partial, int p0, int pStride, int mode) {
        int w0 = row * len;
        int w1 = w0 + len;
        int w2 = w1 + len;
        int w3 = w2 + len;
        // Resuming tiles start from the partial sums, the others from zeros: a choice of array and offsets, not of
        // vectors, which the compiler would otherwise have to box to merge.
        boolean resume = mode == RESUME || mode == FINISH;
        float[] init = resume ? partial : ZEROS;
        int i0 = resume ? p0 : 0;
        int lane = resume ? LANES : 0;
        int stride = resume ? pStride : 0;
        FloatVector a00 = FloatVector.fromArray(F, init, i0);
        FloatVector a10 = FloatVector.fromArray(F, init, i0 + lane);
        FloatVector a20 = FloatVector.fromArray(F, init, i0 + 2 * lane);
        FloatVector a30 = FloatVector.fromArray(F, init, i0 + 3 * lane);
        int k = 0;
        for (int bound = F.loopBound(len); k < bound; k += LANES) {
            FloatVector v0 = FloatVector.fromArray(F, w, w0 + k);
            FloatVector v1 = FloatVector.fromArray(F, w, w1 + k);
            FloatVector v2 = FloatVector.fromArray(F, w, w2 + k);
            FloatVector v3 = FloatVector.fromArray(F, w, w3 + k);
            FloatVector u = FloatVector.fromArray(F, x, x0 + k);
            a00 = v0.fma(u, a00);
            a10 = v1.fma(u, a10);
            a20 = v2.fma(u, a20);
            a30 = v3.fma(u, a30);
        }
        if (mode == RESUME || mode == START) {
            a00.intoArray(partial, p0);
            a10.intoArray(partial, p0 + LANES);
            a20.intoArray(partial, p0 + 2 * LANES);
            a30.intoArray(partial, p0 + 3 * LANES);
            return;
        }
        store(out, o0, a00.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x0, k, len), mode);
        store(out, o0 + 1, a10.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x0, k, len), mode);
        store(out, o0 + 2, a20.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x0, k, len), mode);
        store(out, o0 + 3, a30.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x0, k, len), mode);
    }

    private static void tile1x1(float[] w, int row, int len, float[] x, int x0, float[] out, int o0, float[] partial,
                                int p0, int mode) {
        int w0 = row * len;
        boolean resume = mode == RESUME || mode == FINISH;
        FloatVector a = FloatVector.fromArray(F, resume ? partial : ZEROS, resume ? p0 : 0);
        int k = 0;
        for (int bound = F.loopBound(len); k < bound; k += LANES) {
            a = FloatVector.fromArray(F, w, w0 + k).fma(FloatVector.fromArray(F, x, x0 + k), a);
        }
        if (mode == RESUME || mode == START) {
            a.intoArray(partial, p0);
            return;
        }
        store(out, o0, a.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x0, k, len), mode);
    }

    /**
     * The products past the last whole vector ({@code k..len}). The tiles reduce their vectors themselves: a
     * vector handed to a method the compiler declined to inline would be boxed on every call.
     */
    private static float tail(float[] w, int wBase, float[] x, int xBase, int k, int len) {
        float sum = 0f;
        for (; k < len; k++) {
            sum += w[wBase + k] * x[xBase + k];
        }
        return sum;
    }
}
