package dev.gantry.engine.compute;

import dev.gantry.engine.tensor.Tensor;

/**
 * Where the forward pass's heavy operations run. The CPU implementation is {@link CpuDevice}; a GPU
 * implementation keeps weights and activations in device memory behind the same calls.
 *
 * <p>Activation layout: {@code n} rows (tokens) of a fixed width, row-major, in {@code float[]} buffers the
 * caller owns and reuses. Implementations must not allocate per call in steady state.
 */
public interface Device extends AutoCloseable {

    /** A short name for logs ("cpu", "cuda:0"). */
    String name();

    /**
     * {@code out[t·rows + r] = W.row(r) · x[t·cols ..]} for {@code t < n}: the weight-times-activations product
     * for {@code n} tokens at once, reading each weight row once for all of them.
     */
    void matmul(Tensor weight, float[] x, int n, float[] out);

    /** RMSNorm of {@code n} rows of width {@code dim}: {@code out = x / sqrt(mean(x²) + eps) · weight}. */
    void rmsNorm(float[] x, int n, int dim, float[] weight, float eps, float[] out);

    /** SwiGLU in place over {@code n × width} elements: {@code gate = silu(gate) · up}. */
    void swiglu(float[] gate, float[] up, int n, int width);

    /** Threads this device computes with on the host. */
    int threads();

    @Override
    void close();
}
