package dev.gantry.engine.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * {@link Q4_0Format} with the Vector API. One load of a block's 16 packed bytes yields its two runs of elements:
 * the low nibbles are elements {@code 0..15}, the high nibbles {@code 16..31}; each is offset by 8 (as 16 times
 * the offset value, see {@code FLIP}), widened to floats and multiplied into the matching activations. Its scalar
 * twin is {@link Q4_0Format}; decoding equals it bit for bit, {@link #dot} agrees up to float rounding.
 */
final class Q4_0VectorFormat implements TensorFormat {

    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.BITS));
    private static final int LANES = F.length();
    /** A block's 16 packed bytes, loaded at once. */
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    /** Float vectors per 16 elements: 1 with 512-bit vectors, 2 with 256-bit, 4 with 128-bit. */
    private static final int PARTS = 16 / LANES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private static final int BLOCK = 32;
    private static final int HALF = 16;
    private static final int BLOCK_BYTES = 18;
    private static final int QS = 2;

    /*
     * Nibbles without a byte shift (which the hardware lacks): flipping bit 3 of a nibble q gives q - 8 in 4-bit
     * two's complement; moved to the top of its byte (the low nibble by an int shift, whose spill into the next
     * byte the mask drops) it reads as the signed byte 16 (q - 8). The block's scale is taken 16 times smaller,
     * exactly (a power of two), so every product equals (q - 8) d as the scalar code computes it.
     */
    private static final byte FLIP = (byte) 0x88;
    private static final byte HIGH_NIBBLE = (byte) 0xF0;
    private static final float UNSHIFT = 0x1p-4f;

    private final Q4_0Format scalar = new Q4_0Format();

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        long block = ElementRange.startByte32(GgmlType.Q4_0, first, n, dstOff, dst.length);
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, LittleEndian.f16(data, block) * UNSHIFT);
            int base = dstOff + i;
            ByteVector f = ByteVector.fromMemorySegment(B, data, block + QS, LE)
                    .lanewise(VectorOperators.XOR, FLIP);
            ByteVector lo = f.reinterpretAsInts().lanewise(VectorOperators.LSHL, 4).reinterpretAsBytes()
                    .and(HIGH_NIBBLE);
            ByteVector hi = f.and(HIGH_NIBBLE);
            for (int p = 0; p < PARTS; p++) {
                ((FloatVector) lo.convertShape(VectorOperators.B2F, F, p)).mul(d).intoArray(dst, base + p * LANES);
                ((FloatVector) hi.convertShape(VectorOperators.B2F, F, p)).mul(d)
                        .intoArray(dst, base + HALF + p * LANES);
            }
        }
    }

    /*
     * dot and dot4 take each block the same way: the first float vector of each half by a multiply, the others
     * (narrower machines) by multiply-adds in a loop that folds away where there are none, then the block's sum
     * into the accumulator with its scale. Straight-line code matters here: with loops inside the block loop the
     * JIT's graph for dot4 grew past its inlining limit and left calls inside the loop. For the same reason dot4
     * reads its scales through the segment directly rather than through LittleEndian.f16.
     */

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long block = ElementRange.startByte32(GgmlType.Q4_0, first, n, xOff, x.length);
        // All in this method: a vector returned by a helper the JIT declined to inline would be boxed on every call.
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            ByteVector f = ByteVector.fromMemorySegment(B, data, block + QS, LE)
                    .lanewise(VectorOperators.XOR, FLIP);
            ByteVector lo = f.reinterpretAsInts().lanewise(VectorOperators.LSHL, 4).reinterpretAsBytes()
                    .and(HIGH_NIBBLE);
            ByteVector hi = f.and(HIGH_NIBBLE);
            int e = xOff + i;
            FloatVector s = ((FloatVector) lo.convertShape(VectorOperators.B2F, F, 0))
                    .mul(FloatVector.fromArray(F, x, e));
            s = ((FloatVector) hi.convertShape(VectorOperators.B2F, F, 0))
                    .fma(FloatVector.fromArray(F, x, e + HALF), s);
            for (int p = 1; p < PARTS; p++) {
                int ep = e + p * LANES;
                s = ((FloatVector) lo.convertShape(VectorOperators.B2F, F, p))
                        .fma(FloatVector.fromArray(F, x, ep), s);
                s = ((FloatVector) hi.convertShape(VectorOperators.B2F, F, p))
                        .fma(FloatVector.fromArray(F, x, ep + HALF), s);
            }
            acc = s.fma(FloatVector.broadcast(F, LittleEndian.f16(data, block) * UNSHIFT), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** {@link #dot} of four rows in one loop, each row's products and sums taken as {@link #dot} takes them. */
    @Override
    public void dot4(MemorySegment data, long first, long stride, float[] x, int xOff, int n, float[] out,
                     int outOff, int outStride) {
        long a = ElementRange.startByte32(GgmlType.Q4_0, first, n, xOff, x.length);
        long b = ElementRange.startByte32(GgmlType.Q4_0, first + stride, n, xOff, x.length);
        long c = ElementRange.startByte32(GgmlType.Q4_0, first + 2 * stride, n, xOff, x.length);
        long d = ElementRange.startByte32(GgmlType.Q4_0, first + 3 * stride, n, xOff, x.length);
        FloatVector accA = FloatVector.zero(F);
        FloatVector accB = FloatVector.zero(F);
        FloatVector accC = FloatVector.zero(F);
        FloatVector accD = FloatVector.zero(F);
        for (int i = 0; i < n; i += BLOCK, a += BLOCK_BYTES, b += BLOCK_BYTES, c += BLOCK_BYTES, d += BLOCK_BYTES) {
            ByteVector fA = ByteVector.fromMemorySegment(B, data, a + QS, LE)
                    .lanewise(VectorOperators.XOR, FLIP);
            ByteVector loA = fA.reinterpretAsInts().lanewise(VectorOperators.LSHL, 4).reinterpretAsBytes()
                    .and(HIGH_NIBBLE);
            ByteVector hiA = fA.and(HIGH_NIBBLE);
            ByteVector fB = ByteVector.fromMemorySegment(B, data, b + QS, LE)
                    .lanewise(VectorOperators.XOR, FLIP);
            ByteVector loB = fB.reinterpretAsInts().lanewise(VectorOperators.LSHL, 4).reinterpretAsBytes()
                    .and(HIGH_NIBBLE);
            ByteVector hiB = fB.and(HIGH_NIBBLE);
            ByteVector fC = ByteVector.fromMemorySegment(B, data, c + QS, LE)
                    .lanewise(VectorOperators.XOR, FLIP);
            ByteVector loC = fC.reinterpretAsInts().lanewise(VectorOperators.LSHL, 4).reinterpretAsBytes()
                    .and(HIGH_NIBBLE);
            ByteVector hiC = fC.and(HIGH_NIBBLE);
            ByteVector fD = ByteVector.fromMemorySegment(B, data, d + QS, LE)
                    .lanewise(VectorOperators.XOR, FLIP);
            ByteVector loD = fD.reinterpretAsInts().lanewise(VectorOperators.LSHL, 4).reinterpretAsBytes()
                    .and(HIGH_NIBBLE);
            ByteVector hiD = fD.and(HIGH_NIBBLE);
            int e = xOff + i;
            FloatVector xLo = FloatVector.fromArray(F, x, e);
            FloatVector xHi = FloatVector.fromArray(F, x, e + HALF);
            FloatVector sA = ((FloatVector) loA.convertShape(VectorOperators.B2F, F, 0)).mul(xLo);
            FloatVector sB = ((FloatVector) loB.convertShape(VectorOperators.B2F, F, 0)).mul(xLo);
            FloatVector sC = ((FloatVector) loC.convertShape(VectorOperators.B2F, F, 0)).mul(xLo);
            FloatVector sD = ((FloatVector) loD.convertShape(VectorOperators.B2F, F, 0)).mul(xLo);
            sA = ((FloatVector) hiA.convertShape(VectorOperators.B2F, F, 0)).fma(xHi, sA);
            sB = ((FloatVector) hiB.convertShape(VectorOperators.B2F, F, 0)).fma(xHi, sB);
            sC = ((FloatVector) hiC.convertShape(VectorOperators.B2F, F, 0)).fma(xHi, sC);
            sD = ((FloatVector) hiD.convertShape(VectorOperators.B2F, F, 0)).fma(xHi, sD);
            for (int p = 1; p < PARTS; p++) {
                FloatVector xpLo = FloatVector.fromArray(F, x, e + p * LANES);
                FloatVector xpHi = FloatVector.fromArray(F, x, e + HALF + p * LANES);
                sA = ((FloatVector) loA.convertShape(VectorOperators.B2F, F, p)).fma(xpLo, sA);
                sA = ((FloatVector) hiA.convertShape(VectorOperators.B2F, F, p)).fma(xpHi, sA);
                sB = ((FloatVector) loB.convertShape(VectorOperators.B2F, F, p)).fma(xpLo, sB);
                sB = ((FloatVector) hiB.convertShape(VectorOperators.B2F, F, p)).fma(xpHi, sB);
                sC = ((FloatVector) loC.convertShape(VectorOperators.B2F, F, p)).fma(xpLo, sC);
                sC = ((FloatVector) hiC.convertShape(VectorOperators.B2F, F, p)).fma(xpHi, sC);
                sD = ((FloatVector) loD.convertShape(VectorOperators.B2F, F, p)).fma(xpLo, sD);
                sD = ((FloatVector) hiD.convertShape(VectorOperators.B2F, F, p)).fma(xpHi, sD);
            }
            accA = sA.fma(FloatVector.broadcast(F,
                    Float.float16ToFloat(data.get(LittleEndian.SHORT, a)) * UNSHIFT), accA);
            accB = sB.fma(FloatVector.broadcast(F,
                    Float.float16ToFloat(data.get(LittleEndian.SHORT, b)) * UNSHIFT), accB);
            accC = sC.fma(FloatVector.broadcast(F,
                    Float.float16ToFloat(data.get(LittleEndian.SHORT, c)) * UNSHIFT), accC);
            accD = sD.fma(FloatVector.broadcast(F,
                    Float.float16ToFloat(data.get(LittleEndian.SHORT, d)) * UNSHIFT), accD);
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
