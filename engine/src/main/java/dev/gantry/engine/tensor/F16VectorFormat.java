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

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long offset = ElementRange.startByte(GgmlType.F16, first, n, xOff, x.length);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * LANES <= n; i += 2 * LANES) {
            acc0 = widen(data, offset + 2L * i).fma(FloatVector.fromArray(F, x, xOff + i), acc0);
            acc1 = widen(data, offset + 2L * (i + LANES)).fma(FloatVector.fromArray(F, x, xOff + i + LANES), acc1);
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
        FloatVector b0 = FloatVector.zero(F);
        FloatVector b1 = FloatVector.zero(F);
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = FloatVector.zero(F);
        FloatVector d0 = FloatVector.zero(F);
        FloatVector d1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * LANES <= n; i += 2 * LANES) {
            // widen() written out: past a size the JIT stops inlining ordinary calls in this large loop.
            FloatVector x0 = FloatVector.fromArray(F, x, xOff + i);
            FloatVector x1 = FloatVector.fromArray(F, x, xOff + i + LANES);
            IntVector ha0 = (IntVector) ShortVector.fromMemorySegment(S, data, a + 2L * i, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector fa0 = ha0.lanewise(VectorOperators.LSHL, 13).and(FIELDS);
            a0 = fa0.reinterpretAsFloats().mul(REBIAS)
                    .blend(fa0.or(FLOAT_EXPONENT).reinterpretAsFloats(),
                            ha0.and(HALF_EXPONENT).compare(VectorOperators.EQ, HALF_EXPONENT).cast(F))
                    .fma(x0, a0);
            IntVector hb0 = (IntVector) ShortVector.fromMemorySegment(S, data, b + 2L * i, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector fb0 = hb0.lanewise(VectorOperators.LSHL, 13).and(FIELDS);
            b0 = fb0.reinterpretAsFloats().mul(REBIAS)
                    .blend(fb0.or(FLOAT_EXPONENT).reinterpretAsFloats(),
                            hb0.and(HALF_EXPONENT).compare(VectorOperators.EQ, HALF_EXPONENT).cast(F))
                    .fma(x0, b0);
            IntVector hc0 = (IntVector) ShortVector.fromMemorySegment(S, data, c + 2L * i, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector fc0 = hc0.lanewise(VectorOperators.LSHL, 13).and(FIELDS);
            c0 = fc0.reinterpretAsFloats().mul(REBIAS)
                    .blend(fc0.or(FLOAT_EXPONENT).reinterpretAsFloats(),
                            hc0.and(HALF_EXPONENT).compare(VectorOperators.EQ, HALF_EXPONENT).cast(F))
                    .fma(x0, c0);
            IntVector hd0 = (IntVector) ShortVector.fromMemorySegment(S, data, d + 2L * i, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector fd0 = hd0.lanewise(VectorOperators.LSHL, 13).and(FIELDS);
            d0 = fd0.reinterpretAsFloats().mul(REBIAS)
                    .blend(fd0.or(FLOAT_EXPONENT).reinterpretAsFloats(),
                            hd0.and(HALF_EXPONENT).compare(VectorOperators.EQ, HALF_EXPONENT).cast(F))
                    .fma(x0, d0);
            IntVector ha1 = (IntVector) ShortVector.fromMemorySegment(S, data, a + 2L * (i + LANES), LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector fa1 = ha1.lanewise(VectorOperators.LSHL, 13).and(FIELDS);
            a1 = fa1.reinterpretAsFloats().mul(REBIAS)
                    .blend(fa1.or(FLOAT_EXPONENT).reinterpretAsFloats(),
                            ha1.and(HALF_EXPONENT).compare(VectorOperators.EQ, HALF_EXPONENT).cast(F))
                    .fma(x1, a1);
            IntVector hb1 = (IntVector) ShortVector.fromMemorySegment(S, data, b + 2L * (i + LANES), LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector fb1 = hb1.lanewise(VectorOperators.LSHL, 13).and(FIELDS);
            b1 = fb1.reinterpretAsFloats().mul(REBIAS)
                    .blend(fb1.or(FLOAT_EXPONENT).reinterpretAsFloats(),
                            hb1.and(HALF_EXPONENT).compare(VectorOperators.EQ, HALF_EXPONENT).cast(F))
                    .fma(x1, b1);
            IntVector hc1 = (IntVector) ShortVector.fromMemorySegment(S, data, c + 2L * (i + LANES), LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector fc1 = hc1.lanewise(VectorOperators.LSHL, 13).and(FIELDS);
            c1 = fc1.reinterpretAsFloats().mul(REBIAS)
                    .blend(fc1.or(FLOAT_EXPONENT).reinterpretAsFloats(),
                            hc1.and(HALF_EXPONENT).compare(VectorOperators.EQ, HALF_EXPONENT).cast(F))
                    .fma(x1, c1);
            IntVector hd1 = (IntVector) ShortVector.fromMemorySegment(S, data, d + 2L * (i + LANES), LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector fd1 = hd1.lanewise(VectorOperators.LSHL, 13).and(FIELDS);
            d1 = fd1.reinterpretAsFloats().mul(REBIAS)
                    .blend(fd1.or(FLOAT_EXPONENT).reinterpretAsFloats(),
                            hd1.and(HALF_EXPONENT).compare(VectorOperators.EQ, HALF_EXPONENT).cast(F))
                    .fma(x1, d1);
        }
        out[outOff] = a0.add(a1).reduceLanes(VectorOperators.ADD);
        out[outOff + outStride] = b0.add(b1).reduceLanes(VectorOperators.ADD);
        out[outOff + 2 * outStride] = c0.add(c1).reduceLanes(VectorOperators.ADD);
        out[outOff + 3 * outStride] = d0.add(d1).reduceLanes(VectorOperators.ADD);
        if (i < n) {
            for (int k = 0; k < 4; k++) {
                out[outOff + k * outStride] += scalar.dot(data, first + k * stride + i, x, xOff + i, n - i);
            }
        }
    }

    /**
     * {@link #LANES} halves at byte {@code offset} widened for arithmetic. Infinities and NaNs are patched
     * without the quiet bit: in arithmetic a NaN is a NaN either way. Small enough that the JIT always inlines
     * it, so the vector it returns is never boxed.
     */
    private static FloatVector widen(MemorySegment data, long offset) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, data, offset, LE)
                .convertShape(VectorOperators.S2I, I, 0);
        IntVector f = h.lanewise(VectorOperators.LSHL, 13).and(FIELDS);
        return f.reinterpretAsFloats().mul(REBIAS)
                .blend(f.or(FLOAT_EXPONENT).reinterpretAsFloats(),
                        h.and(HALF_EXPONENT).compare(VectorOperators.EQ, HALF_EXPONENT).cast(F));
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        scalar.quantize(src, srcOff, n, dst, dstByteOffset);
    }
}
