package dev.gantry.engine.compute;

/**
 * The light operations of a forward pass, one row at a time: RMSNorm, SwiGLU, softmax and rotary position
 * embedding. {@link CpuDevice} spreads rows over its threads; these kernels do one row's arithmetic.
 *
 * <p>Two implementations: {@link ScalarElementwise}, the reference, and {@link VectorElementwise}, which agrees
 * with it within float rounding (sums in another order; the Vector API's {@code exp} is within an ulp or two of
 * {@link Math#exp}).
 */
interface ElementwiseKernels {

    /** {@code out[outOff+i] = x[xOff+i] / sqrt(mean(x²) + eps) · weight[i]} for {@code i < dim}. */
    void rmsNorm(float[] x, int xOff, int dim, float[] weight, float eps, float[] out, int outOff);

    /** {@code gate[i] = silu(gate[i]) · up[i]} for {@code from ≤ i < to}. */
    void swiglu(float[] gate, float[] up, int from, int to);

    /** Softmax in place over {@code x[off .. off+len)}, max-subtracted. */
    void softmax(float[] x, int off, int len);

    /**
     * Rotates element pairs {@code (2i, 2i+1)}, {@code i < pairs}, of each of {@code heads} heads of
     * {@code headDim} elements starting at {@code x[offset]}: {@code (a, b) → (a·cos_i − b·sin_i, a·sin_i +
     * b·cos_i)}.
     */
    void rope(float[] x, int offset, int heads, int headDim, int pairs, float[] cos, float[] sin);
}
