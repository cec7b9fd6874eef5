package dev.gantry.engine.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * {@link Q8_0Format} with the Vector API: each block's 32 signed bytes are widened to floats lane by lane and
 * multiplied into the activations, the block's scale applied once per block. Its scalar twin is
 * {@link Q8_0Format}; decoding equals it bit for bit ({@code q × d} in float either way), {@link #dot} agrees up
 * to float rounding (the sums are taken in another order).
 *
 * <p>The bytes of a block are loaded {@link #BYTE_LANES} at a time: as many as there are float lanes, but at
 * least 8, the narrowest byte vector the API has; a 128-bit float vector takes such a load in two parts.
 */
final class Q8_0VectorFormat implements TensorFormat {

    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.BITS));
    private static final int LANES = F.length();
    private static final int BYTE_LANES = Math.max(8, LANES);
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(BYTE_LANES * 8));
    private static final int PARTS = BYTE_LANES / LANES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 34;
    private static final int QS = 2;

    private final Q8_0Format scalar = new Q8_0Format();

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        long block = ElementRange.startByte32(GgmlType.Q8_0, first, n, dstOff, dst.length);
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, LittleEndian.f16(data, block));
            for (int j = 0; j < BLOCK; j += BYTE_LANES) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, block + QS + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    FloatVector w = (FloatVector) q.convertShape(VectorOperators.B2F, F, p);
                    w.mul(d).intoArray(dst, dstOff + i + j + p * LANES);
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long block = ElementRange.startByte32(GgmlType.Q8_0, first, n, xOff, x.length);
        // Two blocks per step, each with its own accumulator, so one block's scale multiply-add need not wait
        // for the other's. Everything stays in this one method: a helper returning a vector that the JIT
        // declined to inline would box that vector on every call.
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * BLOCK <= n; i += 2 * BLOCK, block += 2 * BLOCK_BYTES) {
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = FloatVector.zero(F);
            for (int j = 0; j < BLOCK; j += BYTE_LANES) {
                ByteVector q0 = ByteVector.fromMemorySegment(B, data, block + QS + j, LE);
                ByteVector q1 = ByteVector.fromMemorySegment(B, data, block + BLOCK_BYTES + QS + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    int e = xOff + i + j + p * LANES;
                    s0 = ((FloatVector) q0.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, e), s0);
                    s1 = ((FloatVector) q1.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, e + BLOCK), s1);
                }
            }
            acc0 = s0.fma(FloatVector.broadcast(F, LittleEndian.f16(data, block)), acc0);
            acc1 = s1.fma(FloatVector.broadcast(F, LittleEndian.f16(data, block + BLOCK_BYTES)), acc1);
        }
        if (i < n) {
            FloatVector s0 = FloatVector.zero(F);
            for (int j = 0; j < BLOCK; j += BYTE_LANES) {
                ByteVector q0 = ByteVector.fromMemorySegment(B, data, block + QS + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    s0 = ((FloatVector) q0.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, xOff + i + j + p * LANES), s0);
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
