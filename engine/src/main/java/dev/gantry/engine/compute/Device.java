package dev.gantry.engine.compute;

import dev.gantry.engine.tensor.Tensor;

import java.util.function.IntConsumer;

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

    /**
     * {@link #matmul} of activations that the previous {@code matmul} call on this device also took, unchanged
     * since — the query, key and value products of one layer, say. A device may reuse what it prepared from them
     * (the CPU transposes many tokens' activations once for all three). The default is {@link #matmul}.
     */
    default void matmulSameActivations(Tensor weight, float[] x, int n, float[] out) {
        matmul(weight, x, n, out);
    }

    /** RMSNorm of {@code n} rows of width {@code dim}: {@code out = x / sqrt(mean(x²) + eps) · weight}. */
    void rmsNorm(float[] x, int n, int dim, float[] weight, float eps, float[] out);

    /** SwiGLU in place over {@code n × width} elements: {@code gate = silu(gate) · up}. */
    void swiglu(float[] gate, float[] up, int n, int width);

    /** Softmax in place over {@code x[offset .. offset+length)}, max-subtracted. */
    void softmax(float[] x, int offset, int length);

    /**
     * Rotary position embedding of one token: rotates the element pairs {@code (2i, 2i+1)}, {@code i < pairs},
     * of each of {@code heads} heads of {@code headDim} elements starting at {@code x[offset]} by the angle whose
     * cosine and sine are {@code cos[i]} and {@code sin[i]} (the caller computes them once per position and
     * reuses them for the query and key heads).
     */
    void rope(float[] x, int offset, int heads, int headDim, int pairs, float[] cos, float[] sin);

    /**
     * Runs {@code task.accept(i)} for every {@code i < count} on the device's host threads and waits: for work
     * the caller splits itself, such as attention for several sequences of a batch (the attention SPI allows
     * concurrent calls for different sequences). Tasks must be independent and must not call the device
     * themselves.
     */
    void parallel(int count, IntConsumer task);

    /** Threads this device computes with on the host. */
    int threads();

    @Override
    void close();
}
