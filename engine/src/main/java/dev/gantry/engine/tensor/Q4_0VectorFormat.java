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
 * are elements {@code j..}, the high nibbles elements {@code j+16..}; each is offset by 8 (as 16 times the
 * offset value, see {@code FLIP}), widened to floats and multiplied into the matching activations. Its scalar twin is {@link Q4_0Format}; decoding equals it bit
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
            for (int j = 0; j < HALF; j += BYTE_LANES) {
                ByteVector flipped = ByteVector.fromMemorySegment(B, data, block + QS + j, LE)
                        .lanewise(VectorOperators.XOR, FLIP);
                ByteVector lo = flipped.reinterpretAsInts().lanewise(VectorOperators.LSHL, 4).reinterpretAsBytes()
                        .and(HIGH_NIBBLE);
                ByteVector hi = flipped.and(HIGH_NIBBLE);
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
        // One accumulator, block after block: dot4 repeats exactly these operations per row. All in this method
        // (a vector returned by a helper the JIT declined to inline would be boxed on every call).
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            FloatVector s = FloatVector.zero(F);
            for (int j = 0; j < HALF; j += BYTE_LANES) {
                ByteVector flipped = ByteVector.fromMemorySegment(B, data, block + QS + j, LE)
                        .lanewise(VectorOperators.XOR, FLIP);
                ByteVector lo = flipped.reinterpretAsInts().lanewise(VectorOperators.LSHL, 4).reinterpretAsBytes()
                        .and(HIGH_NIBBLE);
                ByteVector hi = flipped.and(HIGH_NIBBLE);
                for (int p = 0; p < PARTS; p++) {
                    int e = xOff + i + j + p * LANES;
                    s = ((FloatVector) lo.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, e), s);
                    s = ((FloatVector) hi.convertShape(VectorOperators.B2F, F, p))
                            .fma(FloatVector.fromArray(F, x, e + HALF), s);
                }
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
            // The scales are read first: past a size the JIT stops inlining ordinary calls in this large loop,
            // and a call here would spill every live vector.
            float scaleA = LittleEndian.f16(data, a) * UNSHIFT;
            float scaleB = LittleEndian.f16(data, b) * UNSHIFT;
            float scaleC = LittleEndian.f16(data, c) * UNSHIFT;
            float scaleD = LittleEndian.f16(data, d) * UNSHIFT;
            FloatVector sA = FloatVector.zero(F);
            FloatVector sB = FloatVector.zero(F);
            FloatVector sC = FloatVector.zero(F);
            FloatVector sD = FloatVector.zero(F);
            for (int j = 0; j < HALF; j += BYTE_LANES) {
                ByteVector fA = ByteVector.fromMemorySegment(B, data, a + QS + j, LE).lanewise(VectorOperators.XOR, FLIP);
                ByteVector fB = ByteVector.fromMemorySegment(B, data, b + QS + j, LE).lanewise(VectorOperators.XOR, FLIP);
                ByteVector fC = ByteVector.fromMemorySegment(B, data, c + QS + j, LE).lanewise(VectorOperators.XOR, FLIP);
                ByteVector fD = ByteVector.fromMemorySegment(B, data, d + QS + j, LE).lanewise(VectorOperators.XOR, FLIP);
                ByteVector loA = fA.reinterpretAsInts().lanewise(VectorOperators.LSHL, 4).reinterpretAsBytes()
                        .and(HIGH_NIBBLE);
                ByteVector loB = fB.reinterpretAsInts().lanewise(VectorOperators.LSHL, 4).reinterpretAsBytes()
                        .and(HIGH_NIBBLE);
                ByteVector loC = fC.reinterpretAsInts().lanewise(VectorOperators.LSHL, 4).reinterpretAsBytes()
                        .and(HIGH_NIBBLE);
                ByteVector loD = fD.reinterpretAsInts().lanewise(VectorOperators.LSHL, 4).reinterpretAsBytes()
                        .and(HIGH_NIBBLE);
                ByteVector hiA = fA.and(HIGH_NIBBLE);
                ByteVector hiB = fB.and(HIGH_NIBBLE);
                ByteVector hiC = fC.and(HIGH_NIBBLE);
                ByteVector hiD = fD.and(HIGH_NIBBLE);
                for (int p = 0; p < PARTS; p++) {
                    int e = xOff + i + j + p * LANES;
                    FloatVector xLo = FloatVector.fromArray(F, x, e);
                    FloatVector xHi = FloatVector.fromArray(F, x, e + HALF);
                    sA = ((FloatVector) loA.convertShape(VectorOperators.B2F, F, p)).fma(xLo, sA);
                    sB = ((FloatVector) loB.convertShape(VectorOperators.B2F, F, p)).fma(xLo, sB);
                    sC = ((FloatVector) loC.convertShape(VectorOperators.B2F, F, p)).fma(xLo, sC);
                    sD = ((FloatVector) loD.convertShape(VectorOperators.B2F, F, p)).fma(xLo, sD);
                    sA = ((FloatVector) hiA.convertShape(VectorOperators.B2F, F, p)).fma(xHi, sA);
                    sB = ((FloatVector) hiB.convertShape(VectorOperators.B2F, F, p)).fma(xHi, sB);
                    sC = ((FloatVector) hiC.convertShape(VectorOperators.B2F, F, p)).fma(xHi, sC);
                    sD = ((FloatVector) hiD.convertShape(VectorOperators.B2F, F, p)).fma(xHi, sD);
                }
            }
            accA = sA.fma(FloatVector.broadcast(F, scaleA), accA);
            accB = sB.fma(FloatVector.broadcast(F, scaleB), accB);
            accC = sC.fma(FloatVector.broadcast(F, scaleC), accC);
            accD = sD.fma(FloatVector.broadcast(F, scaleD), accD);
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
