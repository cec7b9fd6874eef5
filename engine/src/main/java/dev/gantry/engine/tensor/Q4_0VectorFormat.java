package dev.gantry.engine.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * {@link Q4_0Format} with the Vector API. One load of packed bytes yields two runs of elements: the low nibbles
 * are elements {@code j..}, the high nibbles elements {@code j+16..}; each is offset by 8, widened to floats
 * and multiplied into the matching activations. Its scalar twin is {@link Q4_0Format}; decoding equals it bit
 * for bit, {@link #dot} agrees up to float rounding.
 */
final class Q4_0VectorFormat implements TensorFormat {

    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.BITS));
    private static final int LANES = F.length();
    /** Packed bytes per load: one per float lane (the narrowest byte vector has 8 lanes). */
    private static final int BYTE_LANES = Math.max(8, LANES);
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(BYTE_LANES * 8));
    private static final int PARTS = BYTE_LANES / LANES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private static final int BLOCK = 32;
    private static final int HALF = 16;
    private static final int BLOCK_BYTES = 18;
    private static final int QS = 2;

    private final Q4_0Format scalar = new Q4_0Format();

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        long block = ElementRange.startByte32(GgmlType.Q4_0, first, n, dstOff, dst.length);
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, LittleEndian.f16(data, block));
            int base = dstOff + i;
            for (int j = 0; j < HALF; j += BYTE_LANES) {
                ByteVector packed = ByteVector.fromMemorySegment(B, data, block + QS + j, LE);
                ByteVector lo = packed.and((byte) 0x0F).sub((byte) 8);
                ByteVector hi = packed.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
                for (int p = 0; p < PARTS; p++) {
                    ((FloatVector) lo.convertShape(VectorOperators.B2F, F, p)).mul(d)
                            .intoArray(dst, base + j + p * LANES);
                    ((FloatVector) hi.convertShape(VectorOperators.B2F, F, p)).mul(d)
                            .intoArray(dst, base + HALF + j + p * LANES);
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long block = ElementRange.startByte32(GgmlType.Q4_0, first, n, xOff, x.length);
        // Two blocks per step with their own accumulators; all in this method (a vector returned by a helper
        // the JIT declined to inline would be boxed on every call).
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * BLOCK <= n; i += 2 * BLOCK, block += 2 * BLOCK_BYTES) {
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = FloatVector.zero(F);
            for (int j = 0; j < HALF; j += BYTE_LANES) {
                ByteVector p0 = ByteVector.fromMemorySegment(B, data, block + QS + j, LE);
                ByteVector p1 = ByteVector.fromMemorySegment(B, data, block + BLOCK_BYTES + QS + j, LE);
                ByteVector lo0 = p0.and((byte) 0x0F).sub((byte) 8);
                ByteVector hi0 = p0.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
                ByteVector lo1 = p1.and((byte) 0x0F).sub((byte) 8);
                ByteVector hi1 = p1.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
                for (int p = 0; p < PARTS; p++) {
                    int e = xOff + i + j + p * LANES;
                    s0 = ((FloatVector) lo0.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, e), s0);
                    s0 = ((FloatVector) hi0.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, e + HALF), s0);
                    s1 = ((FloatVector) lo1.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, e + BLOCK), s1);
                    s1 = ((FloatVector) hi1.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, e + BLOCK + HALF), s1);
                }
            }
            acc0 = s0.fma(FloatVector.broadcast(F, LittleEndian.f16(data, block)), acc0);
            acc1 = s1.fma(FloatVector.broadcast(F, LittleEndian.f16(data, block + BLOCK_BYTES)), acc1);
        }
        if (i < n) {
            FloatVector s0 = FloatVector.zero(F);
            for (int j = 0; j < HALF; j += BYTE_LANES) {
                ByteVector p0 = ByteVector.fromMemorySegment(B, data, block + QS + j, LE);
                ByteVector lo0 = p0.and((byte) 0x0F).sub((byte) 8);
                ByteVector hi0 = p0.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
                for (int p = 0; p < PARTS; p++) {
                    int e = xOff + i + j + p * LANES;
                    s0 = ((FloatVector) lo0.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, e), s0);
                    s0 = ((FloatVector) hi0.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, e + HALF), s0);
                }
            }
            acc0 = s0.fma(FloatVector.broadcast(F, LittleEndian.f16(data, block)), acc0);
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        scalar.quantize(src, srcOff, n, dst, dstByteOffset);
    }
}
