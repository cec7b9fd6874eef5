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
        // Infinities and NaNs are patched without the quiet bit here: in arithmetic a NaN is a NaN either way.
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * LANES <= n; i += 2 * LANES) {
            IntVector h0 = (IntVector) ShortVector.fromMemorySegment(S, data, offset + 2L * i, LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector h1 = (IntVector) ShortVector.fromMemorySegment(S, data, offset + 2L * (i + LANES), LE)
                    .convertShape(VectorOperators.S2I, I, 0);
            IntVector f0 = h0.lanewise(VectorOperators.LSHL, 13).and(FIELDS);
            IntVector f1 = h1.lanewise(VectorOperators.LSHL, 13).and(FIELDS);
            FloatVector w0 = f0.reinterpretAsFloats().mul(REBIAS)
                    .blend(f0.or(FLOAT_EXPONENT).reinterpretAsFloats(),
                            h0.and(HALF_EXPONENT).compare(VectorOperators.EQ, HALF_EXPONENT).cast(F));
            FloatVector w1 = f1.reinterpretAsFloats().mul(REBIAS)
                    .blend(f1.or(FLOAT_EXPONENT).reinterpretAsFloats(),
                            h1.and(HALF_EXPONENT).compare(VectorOperators.EQ, HALF_EXPONENT).cast(F));
            acc0 = w0.fma(FloatVector.fromArray(F, x, xOff + i), acc0);
            acc1 = w1.fma(FloatVector.fromArray(F, x, xOff + i + LANES), acc1);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        return i < n ? sum + scalar.dot(data, first + i, x, xOff + i, n - i) : sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        scalar.quantize(src, srcOff, n, dst, dstByteOffset);
    }
}
