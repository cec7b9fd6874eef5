package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * How one {@link GgmlType} is encoded: decoding to floats, dot products in the stored domain, and
 * encoding from floats (used by the GGUF writer).
 *
 * <p>Element ranges cover whole blocks: {@code first} and {@code n} must be multiples of the block size
 * (rows of quantised tensors always are), otherwise the methods throw {@link IllegalArgumentException}.
 * {@code data} is the tensor's whole segment (little-endian, as GGUF stores it); element {@code e}
 * lives in block {@code e / blockSize}, at byte {@code (e / blockSize) * blockBytes}.
 *
 * <p>{@code dequantize} reproduces ggml's float arithmetic, so decoded values equal llama.cpp's bit for
 * bit. {@code dot} works block by block in the stored domain without decoding into a buffer, so it
 * agrees with decode-then-dot up to float rounding, not bit for bit. Neither allocates.
 * Implementations are stateless and thread-safe.
 */
public interface TensorFormat {

    /** The type this format encodes. */
    GgmlType type();

    /** Decodes {@code n} elements starting at element {@code first} into {@code dst[dstOff..dstOff+n)}. */
    void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n);

    /**
     * Decodes the same {@code n} columns of {@code rows} rows, {@code rowStride} elements apart in the tensor, into
     * rows {@code dstStride} floats apart: row {@code r} is {@link #dequantize}{@code (data, first + r·rowStride,
     * dst, dstOff + r·dstStride, n)}, with the same values bit for bit.
     *
     * <p>A batched product decodes each panel of rows this way, a column block of a few quantisation blocks at a
     * time; the 32-element block formats' vector kernels check the range once and keep the row loop inside, rather
     * than pay a call's checks and set-up for every four blocks.
     */
    default void dequantizeRows(MemorySegment data, long first, long rowStride, int rows, float[] dst, int dstOff,
                                int dstStride, int n) {
        for (int r = 0; r < rows; r++) {
            dequantize(data, first + r * rowStride, dst, dstOff + r * dstStride, n);
        }
    }

    /** Returns the dot product of elements {@code [first, first+n)} with {@code x[xOff..xOff+n)}. */
    float dot(MemorySegment data, long first, float[] x, int xOff, int n);

    /**
     * Four dot products with the same activations, rows {@code stride} elements apart:
     * {@code out[outOff + k * outStride] = dot(data, first + k * stride, x, xOff, n)} for {@code k = 0..3}.
     * Each row gets {@link #dot}'s own products and block sums, so a product's result does not depend on how rows
     * were grouped beyond the order of the final sum over vector lanes, which the Vector API leaves to the JIT.
     *
     * <p>Why several rows at once: in a one-token matrix-vector product a core waits on memory, and one core
     * streaming one row at a time keeps too few reads in flight to reach its share of the bandwidth. Rows far apart
     * are streams the hardware prefetchers follow side by side (the CPU product runs four calls in turn, sixteen
     * streams). A format with a vector kernel interleaves the four rows in one loop; by default they are taken in
     * turn.
     */
    default void dot4(MemorySegment data, long first, long stride, float[] x, int xOff, int n, float[] out,
                      int outOff, int outStride) {
        for (int k = 0; k < 4; k++) {
            out[outOff + k * outStride] = dot(data, first + k * stride, x, xOff, n);
        }
    }

    /**
     * Whether this format's {@link #dot4(MemorySegment, BlockScales, long, long, float[], int, int, float[], int,
     * int) dot4 with scales} reads a {@link BlockScales} table. The CPU product then widens each weight's scales
     * once and passes them to every one-token call.
     */
    default boolean readsBlockScales() {
        return false;
    }

    /**
     * {@link #dot4} with the tensor's block scales widened beforehand: {@code scales} is {@link BlockScales#of} of
     * the same {@code data}, or null where {@link #readsBlockScales} is false. The results are those of
     * {@link #dot4}'s contract: each row what {@link #dot} gives it, up to the order of the final lane sum. By
     * default the scales are not read and this is {@link #dot4}.
     */
    default void dot4(MemorySegment data, BlockScales scales, long first, long stride, float[] x, int xOff, int n,
                      float[] out, int outOff, int outStride) {
        dot4(data, first, stride, x, xOff, n, out, outOff, outStride);
    }

    /**
     * Encodes {@code src[srcOff..srcOff+n)} ({@code n} a multiple of the block size) into {@code dst}
     * starting at byte {@code dstByteOffset}. The result is valid GGUF data that llama.cpp decodes to the
     * same values as {@link #dequantize}. F32, F16, BF16, Q8_0 and Q4_0 encode exactly as llama.cpp's
     * reference quantiser does; the K-quant encoders use a simpler scale choice (described on each
     * format), so their bytes, though close in value, differ from llama.cpp's.
     */
    void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset);
}
