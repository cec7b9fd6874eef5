package dev.gantry.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * {@link F32Format} with the Vector API: fused multiply-adds straight from the mapped file into four
 * accumulators. Decoding is a plain copy, as in the scalar twin {@link F32Format}; {@link #dot} agrees with it
 * up to float rounding.
 */
final class F32VectorFormat implements TensorFormat {

    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.BITS));
    private static final int LANES = F.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final F32Format scalar = new F32Format();

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        scalar.dequantize(data, first, dst, dstOff, n);
    }

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long offset = ElementRange.startByte(GgmlType.F32, first, n, xOff, x.length);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        int i = 0;
        for (; i + 4 * LANES <= n; i += 4 * LANES) {
            long at = offset + 4L * i;
            int xi = xOff + i;
            acc0 = FloatVector.fromMemorySegment(F, data, at, LE).fma(FloatVector.fromArray(F, x, xi), acc0);
            acc1 = FloatVector.fromMemorySegment(F, data, at + 4L * LANES, LE)
                    .fma(FloatVector.fromArray(F, x, xi + LANES), acc1);
            acc2 = FloatVector.fromMemorySegment(F, data, at + 8L * LANES, LE)
                    .fma(FloatVector.fromArray(F, x, xi + 2 * LANES), acc2);
            acc3 = FloatVector.fromMemorySegment(F, data, at + 12L * LANES, LE)
                    .fma(FloatVector.fromArray(F, x, xi + 3 * LANES), acc3);
        }
        for (; i + LANES <= n; i += LANES) {
            acc0 = FloatVector.fromMemorySegment(F, data, offset + 4L * i, LE)
                    .fma(FloatVector.fromArray(F, x, xOff + i), acc0);
        }
        float sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        return i < n ? sum + scalar.dot(data, first + i, x, xOff + i, n - i) : sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        scalar.quantize(src, srcOff, n, dst, dstByteOffset);
    }
}
