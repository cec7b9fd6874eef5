package dev.gantry.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * {@link F16Format} with the Vector API. The API has no half-precision conversion, so halves are widened with
 * integer operations: the sign, exponent and mantissa fields are shifted into a float's places and the result
 * scaled by 2<sup>112</sup>, which rebiases the exponent and turns half subnormals into exact float normals;
 * lanes whose half had the all-ones exponent (infinity, NaN) are patched to the float's all-ones exponent.
 * Decoding equals {@link F16Format}, the scalar twin, bit for bit (NaNs quieted, as {@link Float#float16ToFloat}
 * does); {@link #dot} agrees up to float rounding.
 */
final class F16VectorFormat implements TensorFormat {

    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.BITS));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int LANES = F.length();
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(LANES * 16));
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** 2^(127 − 15): moves a half's exponent, placed in a float's exponent field, to its float value. */
    private static final float REBIAS = 0x1p112f;
    /** A half shifted left by 13 (from a sign-extended short), keeping only the sign, exponent and mantissa. */
    private static final int FIELDS = 0x8FFF_E000;
    private static final int HALF_EXPONENT = 0x7C00;
    private static final int FLOAT_EXPONENT = 0x7F80_0000;
    /** A float NaN's quiet bit: widening quiets signalling NaNs, as {@link Float#float16ToFloat} does. */
    private static final int QUIET_NAN = 0x0040_0000;

    private final F16Format scalar = new F16Format();

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        long offset = ElementRange.startByte(GgmlType.F16, first, n, dstOff, dst.length);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            IntVector h = (IntVector) ShortVector.fromMemorySegment(S, data, offset + 2L * i, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector shifted = h.lanewise(VectorOperators.LSHL, 13).and(FIELDS);
            IntVector bits = shifted.reinterpretAsFloats().mul(REBIAS).reinterpretAsInts();
            VectorMask<Integer> special = h.and(HALF_EXPONENT).compare(VectorOperators.EQ, HALF_EXPONENT);
            VectorMask<Integer> nan = special.and(h.and(0x03FF).compare(VectorOperators.NE, 0));
            bits = bits.blend(shifted.or(FLOAT_EXPONENT).lanewise(VectorOperators.OR, QUIET_NAN, nan), special);
            bits.reinterpretAsFloats().intoArray(dst, dstOff + i);
        }
        if (i < n) {
            scalar.dequantize(data, first + i, dst, dstOff + i, n - i);
        }
    }

    /*
     * dot and dot4 widen halves without the infinity and NaN patch that decoding applies: they only track the
     * largest exponent field per row (an and and a max per vector, against four operations for the patch), and a
     * row that holds an infinity or a NaN is taken again by the scalar twin, which handles them exactly. Both take
     * each row with the same operations, so dot4's rows equal dot's up to the order of the final lane sum.
     */

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long offset = ElementRange.startByte(GgmlType.F16, first, n, xOff, x.length);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        IntVector top = IntVector.zero(I);
        int i = 0;
        for (; i + 2 * LANES <= n; i += 2 * LANES) {
            IntVector h0 = (IntVector) ShortVector.fromMemorySegment(S, data, offset + 2L * i, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector h1 = (IntVector) ShortVector.fromMemorySegment(S, data, offset + 2L * (i + LANES), LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            acc0 = h0.lanewise(VectorOperators.LSHL, 13).and(FIELDS).reinterpretAsFloats().mul(REBIAS)
                    .fma(FloatVector.fromArray(F, x, xOff + i), acc0);
            acc1 = h1.lanewise(VectorOperators.LSHL, 13).and(FIELDS).reinterpretAsFloats().mul(REBIAS)
                    .fma(FloatVector.fromArray(F, x, xOff + i + LANES), acc1);
            top = top.max(h0.and(HALF_EXPONENT)).max(h1.and(HALF_EXPONENT));
        }
        if (top.reduceLanes(VectorOperators.MAX) == HALF_EXPONENT) {
            return scalar.dot(data, first, x, xOff, n);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        return i < n ? sum + scalar.dot(data, first + i, x, xOff + i, n - i) : sum;
    }

    /** {@link #dot} of four rows in one loop, each row's products and sums taken as {@link #dot} takes them. */
    @Override
    public void dot4(MemorySegment data, long first, long stride, float[] x, int xOff, int n, float[] out,
                     int outOff, int outStride) {
        long a = ElementRange.startByte(GgmlType.F16, first, n, xOff, x.length);
        long b = ElementRange.startByte(GgmlType.F16, first + stride, n, xOff, x.length);
        long c = ElementRange.startByte(GgmlType.F16, first + 2 * stride, n, xOff, x.length);
        long d = ElementRange.startByte(GgmlType.F16, first + 3 * stride, n, xOff, x.length);
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        IntVector aTop = IntVector.zero(I);
        FloatVector b0 = FloatVector.zero(F);
        FloatVector b1 = FloatVector.zero(F);
        IntVector bTop = IntVector.zero(I);
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = FloatVector.zero(F);
        IntVector cTop = IntVector.zero(I);
        FloatVector d0 = FloatVector.zero(F);
        FloatVector d1 = FloatVector.zero(F);
        IntVector dTop = IntVector.zero(I);
        int i = 0;
        for (; i + 2 * LANES <= n; i += 2 * LANES) {
            FloatVector x0 = FloatVector.fromArray(F, x, xOff + i);
            FloatVector x1 = FloatVector.fromArray(F, x, xOff + i + LANES);
            long at = 2L * i;
            long next = 2L * (i + LANES);
            IntVector ah0 = (IntVector) ShortVector.fromMemorySegment(S, data, a + at, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector ah1 = (IntVector) ShortVector.fromMemorySegment(S, data, a + next, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            a0 = ah0.lanewise(VectorOperators.LSHL, 13).and(FIELDS).reinterpretAsFloats().mul(REBIAS).fma(x0, a0);
            a1 = ah1.lanewise(VectorOperators.LSHL, 13).and(FIELDS).reinterpretAsFloats().mul(REBIAS).fma(x1, a1);
            aTop = aTop.max(ah0.and(HALF_EXPONENT)).max(ah1.and(HALF_EXPONENT));
            IntVector bh0 = (IntVector) ShortVector.fromMemorySegment(S, data, b + at, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector bh1 = (IntVector) ShortVector.fromMemorySegment(S, data, b + next, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            b0 = bh0.lanewise(VectorOperators.LSHL, 13).and(FIELDS).reinterpretAsFloats().mul(REBIAS).fma(x0, b0);
            b1 = bh1.lanewise(VectorOperators.LSHL, 13).and(FIELDS).reinterpretAsFloats().mul(REBIAS).fma(x1, b1);
            bTop = bTop.max(bh0.and(HALF_EXPONENT)).max(bh1.and(HALF_EXPONENT));
            IntVector ch0 = (IntVector) ShortVector.fromMemorySegment(S, data, c + at, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector ch1 = (IntVector) ShortVector.fromMemorySegment(S, data, c + next, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            c0 = ch0.lanewise(VectorOperators.LSHL, 13).and(FIELDS).reinterpretAsFloats().mul(REBIAS).fma(x0, c0);
            c1 = ch1.lanewise(VectorOperators.LSHL, 13).and(FIELDS).reinterpretAsFloats().mul(REBIAS).fma(x1, c1);
            cTop = cTop.max(ch0.and(HALF_EXPONENT)).max(ch1.and(HALF_EXPONENT));
            IntVector dh0 = (IntVector) ShortVector.fromMemorySegment(S, data, d + at, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector dh1 = (IntVector) ShortVector.fromMemorySegment(S, data, d + next, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            d0 = dh0.lanewise(VectorOperators.LSHL, 13).and(FIELDS).reinterpretAsFloats().mul(REBIAS).fma(x0, d0);
            d1 = dh1.lanewise(VectorOperators.LSHL, 13).and(FIELDS).reinterpretAsFloats().mul(REBIAS).fma(x1, d1);
            dTop = dTop.max(dh0.and(HALF_EXPONENT)).max(dh1.and(HALF_EXPONENT));
        }
        // As dot ends, row a.
        if (aTop.reduceLanes(VectorOperators.MAX) == HALF_EXPONENT) {
            out[outOff] = scalar.dot(data, first, x, xOff, n);
        } else {
            float sum = a0.add(a1).reduceLanes(VectorOperators.ADD);
            out[outOff] = i < n ? sum + scalar.dot(data, first + i, x, xOff + i, n - i) : sum;
        }
        // As dot ends, row b.
        if (bTop.reduceLanes(VectorOperators.MAX) == HALF_EXPONENT) {
            out[outOff + outStride] = scalar.dot(data, first + stride, x, xOff, n);
        } else {
            float sum = b0.add(b1).reduceLanes(VectorOperators.ADD);
            out[outOff + outStride] = i < n ? sum + scalar.dot(data, first + stride + i, x, xOff + i, n - i) : sum;
        }
        // As dot ends, row c.
        if (cTop.reduceLanes(VectorOperators.MAX) == HALF_EXPONENT) {
            out[outOff + 2 * outStride] = scalar.dot(data, first + 2 * stride, x, xOff, n);
        } else {
            float sum = c0.add(c1).reduceLanes(VectorOperators.ADD);
            out[outOff + 2 * outStride] = i < n ? sum + scalar.dot(data, first + 2 * stride + i, x, xOff + i, n - i)
                    : sum;
        }
        // As dot ends, row d.
        if (dTop.reduceLanes(VectorOperators.MAX) == HALF_EXPONENT) {
            out[outOff + 3 * outStride] = scalar.dot(data, first + 3 * stride, x, xOff, n);
        } else {
            float sum = d0.add(d1).reduceLanes(VectorOperators.ADD);
            out[outOff + 3 * outStride] = i < n ? sum + scalar.dot(data, first + 3 * stride + i, x, xOff + i, n - i)
                    : sum;
        }
    }


    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        scalar.quantize(src, srcOff, n, dst, dstByteOffset);
    }
}
