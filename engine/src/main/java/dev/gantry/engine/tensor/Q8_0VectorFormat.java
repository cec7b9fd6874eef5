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
final class Q8_0VectorFormat extends Block32VectorFormat {

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
    void decodeBlocks(MemorySegment data, long block, float[] dst, int dstOff, int n) {
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
        // One accumulator, block after block: dot4 repeats exactly these operations per row. The chain through
        // acc is one multiply-add per block, far shorter than a block's own work, so it does not limit speed.
        // Everything stays in this one method: a helper returning a vector that the JIT declined to inline would
        // box that vector on every call.
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            FloatVector s = FloatVector.zero(F);
            for (int j = 0; j < BLOCK; j += BYTE_LANES) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, block + QS + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    s = ((FloatVector) q.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, xOff + i + j + p * LANES), s);
                }
            }
            acc = s.fma(FloatVector.broadcast(F, LittleEndian.f16(data, block)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** {@link #dot} of four rows in one loop, each row's products and sums taken as {@link #dot} takes them. */
    @Override
    public void dot4(MemorySegment data, long first, long stride, float[] x, int xOff, int n, float[] out,
                     int outOff, int outStride) {
        long a = ElementRange.startByte32(GgmlType.Q8_0, first, n, xOff, x.length);
        long b = ElementRange.startByte32(GgmlType.Q8_0, first + stride, n, xOff, x.length);
        long c = ElementRange.startByte32(GgmlType.Q8_0, first + 2 * stride, n, xOff, x.length);
        long d = ElementRange.startByte32(GgmlType.Q8_0, first + 3 * stride, n, xOff, x.length);
        FloatVector accA = FloatVector.zero(F);
        FloatVector accB = FloatVector.zero(F);
        FloatVector accC = FloatVector.zero(F);
        FloatVector accD = FloatVector.zero(F);
        for (int i = 0; i < n; i += BLOCK, a += BLOCK_BYTES, b += BLOCK_BYTES, c += BLOCK_BYTES, d += BLOCK_BYTES) {
            FloatVector sA = FloatVector.zero(F);
            FloatVector sB = FloatVector.zero(F);
            FloatVector sC = FloatVector.zero(F);
            FloatVector sD = FloatVector.zero(F);
            for (int j = 0; j < BLOCK; j += BYTE_LANES) {
                ByteVector qA = ByteVector.fromMemorySegment(B, data, a + QS + j, LE);
                ByteVector qB = ByteVector.fromMemorySegment(B, data, b + QS + j, LE);
                ByteVector qC = ByteVector.fromMemorySegment(B, data, c + QS + j, LE);
                ByteVector qD = ByteVector.fromMemorySegment(B, data, d + QS + j, LE);
                for (int p = 0; p < PARTS; p++) {
                    FloatVector xv = FloatVector.fromArray(F, x, xOff + i + j + p * LANES);
                    sA = ((FloatVector) qA.convertShape(VectorOperators.B2F, F, p)).fma(xv, sA);
                    sB = ((FloatVector) qB.convertShape(VectorOperators.B2F, F, p)).fma(xv, sB);
                    sC = ((FloatVector) qC.convertShape(VectorOperators.B2F, F, p)).fma(xv, sC);
                    sD = ((FloatVector) qD.convertShape(VectorOperators.B2F, F, p)).fma(xv, sD);
                }
            }
            // Scales read where they are used: read at the top of the loop, four more values stay live through it
            // and the loop ran half as fast in the cache (an in-L1 probe, 6.4 against 10.5 weights/ns).
            accA = sA.fma(FloatVector.broadcast(F, LittleEndian.f16(data, a)), accA);
            accB = sB.fma(FloatVector.broadcast(F, LittleEndian.f16(data, b)), accB);
            accC = sC.fma(FloatVector.broadcast(F, LittleEndian.f16(data, c)), accC);
            accD = sD.fma(FloatVector.broadcast(F, LittleEndian.f16(data, d)), accD);
        }
        out[outOff] = accA.reduceLanes(VectorOperators.ADD);
        out[outOff + outStride] = accB.reduceLanes(VectorOperators.ADD);
        out[outOff + 2 * outStride] = accC.reduceLanes(VectorOperators.ADD);
        out[outOff + 3 * outStride] = accD.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        scalar.quantize(src, srcOff, n, dst, dstByteOffset);
    }
}
