package dev.gantry.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

/**
 * {@link F16Format} with the Vector API. The API has no half-precision conversion, so halves are widened by
 * {@link F16Format#widen}, a plain loop over {@link Float#float16ToFloat} that the JIT compiles to the processor's
 * conversion instruction ({@code vcvtph2ps}, eight or sixteen halves at once). {@link #dequantize} is the scalar
 * twin's, which is that loop alone; {@link #dot} and {@link #dot4} widen each row {@link #BLOCK} halves at a time
 * into a per-thread buffer that stays in the L1 cache, then multiply it with the activations as float vectors.
 * Decoding therefore equals the scalar twin bit for bit, infinities, NaNs and subnormals included; {@link #dot}
 * agrees up to float rounding.
 *
 * <p>Why not widen in registers with integer operations (shift, mask, rebias), as this class once did: that
 * takes seven vector operations per sixteen halves against the conversion's one, and even a one-token product,
 * which mostly waits on memory, was slowed by them. On TinyLlama-shaped F16 rows at 2 threads, four-row products
 * over 2 GiB of the memory map read 14.2-14.4 GB/s through the integer widening and 17-19 GB/s through this one,
 * in alternating runs. (The JIT vectorises the loop where the processor has a half-to-float instruction, as x86
 * processors with F16C do; elsewhere it converts one half at a time, still exactly.)
 */
final class F16VectorFormat implements TensorFormat {

    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.BITS));
    private static final int LANES = F.length();
    /** Halves widened per row before they are multiplied: four rows' worth (4 KiB) stay in the L1 cache. */
    private static final int BLOCK = 256;
    /** Each compute thread's buffer of widened halves: four rows of {@link #BLOCK}. */
    private static final ThreadLocal<float[]> WIDENED = ThreadLocal.withInitial(() -> new float[4 * BLOCK]);

    private final F16Format scalar = new F16Format();

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        scalar.dequantize(data, first, dst, dstOff, n);
    }

    /*
     * dot and dot4 take each row the same way: whole pairs of vectors through two accumulators, block by block, then
     * the scalar twin over the remaining (fewer than 2 × LANES) elements; so dot4's rows equal dot's up to the
     * order of the final lane sum.
     */

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long offset = ElementRange.startByte(GgmlType.F16, first, n, xOff, x.length);
        float[] w = WIDENED.get();
        int whole = n - n % (2 * LANES);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int k0 = 0; k0 < whole; k0 += BLOCK) {
            int len = Math.min(BLOCK, whole - k0);
            F16Format.widen(data, offset + 2L * k0, w, 0, len);
            for (int k = 0; k < len; k += 2 * LANES) {
                acc0 = FloatVector.fromArray(F, w, k).fma(FloatVector.fromArray(F, x, xOff + k0 + k), acc0);
                acc1 = FloatVector.fromArray(F, w, k + LANES)
                        .fma(FloatVector.fromArray(F, x, xOff + k0 + k + LANES), acc1);
            }
        }
        return finish(acc0, acc1, data, first, x, xOff, n, whole);
    }

    /** {@link #dot} of four rows in one loop, each row's products and sums taken as {@link #dot} takes them. */
    @Override
    public void dot4(MemorySegment data, long first, long stride, float[] x, int xOff, int n, float[] out,
                     int outOff, int outStride) {
        long a = ElementRange.startByte(GgmlType.F16, first, n, xOff, x.length);
        long b = ElementRange.startByte(GgmlType.F16, first + stride, n, xOff, x.length);
        long c = ElementRange.startByte(GgmlType.F16, first + 2 * stride, n, xOff, x.length);
        long d = ElementRange.startByte(GgmlType.F16, first + 3 * stride, n, xOff, x.length);
        float[] w = WIDENED.get();
        int whole = n - n % (2 * LANES);
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector b0 = FloatVector.zero(F);
        FloatVector b1 = FloatVector.zero(F);
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = FloatVector.zero(F);
        FloatVector d0 = FloatVector.zero(F);
        FloatVector d1 = FloatVector.zero(F);
        for (int k0 = 0; k0 < whole; k0 += BLOCK) {
            int len = Math.min(BLOCK, whole - k0);
            long at = 2L * k0;
            F16Format.widen(data, a + at, w, 0, len);
            F16Format.widen(data, b + at, w, BLOCK, len);
            F16Format.widen(data, c + at, w, 2 * BLOCK, len);
            F16Format.widen(data, d + at, w, 3 * BLOCK, len);
            for (int k = 0; k < len; k += 2 * LANES) {
                FloatVector x0 = FloatVector.fromArray(F, x, xOff + k0 + k);
                FloatVector x1 = FloatVector.fromArray(F, x, xOff + k0 + k + LANES);
                a0 = FloatVector.fromArray(F, w, k).fma(x0, a0);
                a1 = FloatVector.fromArray(F, w, k + LANES).fma(x1, a1);
                b0 = FloatVector.fromArray(F, w, BLOCK + k).fma(x0, b0);
                b1 = FloatVector.fromArray(F, w, BLOCK + k + LANES).fma(x1, b1);
                c0 = FloatVector.fromArray(F, w, 2 * BLOCK + k).fma(x0, c0);
                c1 = FloatVector.fromArray(F, w, 2 * BLOCK + k + LANES).fma(x1, c1);
                d0 = FloatVector.fromArray(F, w, 3 * BLOCK + k).fma(x0, d0);
                d1 = FloatVector.fromArray(F, w, 3 * BLOCK + k + LANES).fma(x1, d1);
            }
        }
        out[outOff] = finish(a0, a1, data, first, x, xOff, n, whole);
        out[outOff + outStride] = finish(b0, b1, data, first + stride, x, xOff, n, whole);
        out[outOff + 2 * outStride] = finish(c0, c1, data, first + 2 * stride, x, xOff, n, whole);
        out[outOff + 3 * outStride] = finish(d0, d1, data, first + 3 * stride, x, xOff, n, whole);
    }

    /** A row's sum: its two accumulators' lanes, then the scalar twin over elements {@code [whole, n)}. */
    private float finish(FloatVector acc0, FloatVector acc1, MemorySegment data, long first, float[] x, int xOff,
                         int n, int whole) {
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        return whole < n ? sum + scalar.dot(data, first + whole, x, xOff + whole, n - whole) : sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        scalar.quantize(src, srcOff, n, dst, dstByteOffset);
    }
}
