package dev.gantry.plugins.baseline.kv;

import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvCodecSpec;
import dev.gantry.spi.kv.KvLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Stores keys and values as IEEE half floats (round to nearest even): half the memory of F32, with a relative
 * error per element of at most 2⁻¹¹ for values in half's normal range (about 6.1e-5 to 65504).
 *
 * <p>Block layout: {@link HeadMajorBlock}, 2 bytes per element.
 *
 * <p>Decoding ({@link #decodeKey}, {@link #decodeValue} and the range reads) is a plain loop over
 * {@link Float#float16ToFloat}, which the JIT compiles to the processor's half-to-float conversion where there is
 * one. The fused reads ({@link #dotKey}, {@link #accumulateValue}) widen halves with the Vector API when it is
 * available (as for {@link F32KvCodec}): the API has no half conversion, so the sign, exponent and mantissa are
 * shifted into a float's places and scaled by 2<sup>112</sup>, which rebiases the exponent and makes half
 * subnormals exact float normals; infinities and NaNs are patched. They agree with plain loops up to float
 * rounding.
 */
public final class F16KvCodec implements KVCodec {

    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED;

    /** Whether the Vector API kernels run: the module is present and {@code gantry.vector} is not off. */
    static final boolean VECTOR = !System.getProperty("gantry.vector", "auto").trim().equalsIgnoreCase("off")
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Half precision keeps 11 significant bits: a relative rounding error of at most 2^-11 per element. */
    static final double MAX_RELATIVE_ERROR = 0x1p-11;

    @Override
    public String name() {
        return "f16";
    }

    @Override
    public KvCodecSpec spec(KvLayout layout) {
        return KvCodecSpec.plain(2 * layout.kvDim() * Short.BYTES, MAX_RELATIVE_ERROR);
    }

    private static long keyOffset(KvLayout layout, int slot, int kvHead) {
        return HeadMajorBlock.keyOffset(layout, slot, kvHead, Short.BYTES);
    }

    private static long valueOffset(KvLayout layout, int slot, int kvHead) {
        return HeadMajorBlock.valueOffset(layout, slot, kvHead, Short.BYTES);
    }

    @Override
    public void encode(KvLayout layout, MemorySegment block, int firstSlot, int count, float[] keys, int keyOffset,
                       float[] values, int valueOffset, int[] positions, int positionOffset) {
        int headDim = layout.headDim();
        for (int t = 0; t < count; t++) {
            for (int h = 0; h < layout.kvHeads(); h++) {
                int from = t * layout.kvDim() + h * headDim;
                long k = keyOffset(layout, firstSlot + t, h);
                long v = valueOffset(layout, firstSlot + t, h);
                for (int i = 0; i < headDim; i++) {
                    block.set(HALF, k + (long) i * Short.BYTES, Float.floatToFloat16(keys[keyOffset + from + i]));
                    block.set(HALF, v + (long) i * Short.BYTES, Float.floatToFloat16(values[valueOffset + from + i]));
                }
            }
        }
    }

    @Override
    public void copySlot(KvLayout layout, MemorySegment fromBlock, int fromSlot, MemorySegment toBlock, int toSlot,
                         int position) {
        HeadMajorBlock.copySlot(layout, fromBlock, fromSlot, toBlock, toSlot, Short.BYTES);
    }

    @Override
    public void decodeKey(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst, int dstOffset) {
        decode(block, keyOffset(layout, slot, kvHead), layout.headDim(), dst, dstOffset);
    }

    @Override
    public void decodeValue(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst, int dstOffset) {
        decode(block, valueOffset(layout, slot, kvHead), layout.headDim(), dst, dstOffset);
    }

    @Override
    public void decodeKeys(KvLayout layout, MemorySegment block, int firstSlot, int count, int kvHead, float[] dst,
                           int dstOffset) {
        decode(block, keyOffset(layout, firstSlot, kvHead), count * layout.headDim(), dst, dstOffset);
    }

    @Override
    public void decodeValues(KvLayout layout, MemorySegment block, int firstSlot, int count, int kvHead,
                             float[] dst, int dstOffset) {
        decode(block, valueOffset(layout, firstSlot, kvHead), count * layout.headDim(), dst, dstOffset);
    }

    /**
     * A plain loop, with or without the Vector API: the JIT compiles {@link Float#float16ToFloat} over a run of
     * halves to the processor's half-to-float conversion where there is one, faster than widening by hand.
     */
    private static void decode(MemorySegment block, long base, int n, float[] dst, int dstOffset) {
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = Float.float16ToFloat(block.get(HALF, base + (long) i * Short.BYTES));
        }
    }

    @Override
    public float dotKey(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] q, int qOffset) {
        long base = keyOffset(layout, slot, kvHead);
        int n = layout.headDim();
        int i = 0;
        float sum = 0f;
        if (VECTOR) {
            i = Simd.LANES * (n / Simd.LANES);
            sum = Simd.dot(block, base, q, qOffset, i);
        }
        for (; i < n; i++) {
            sum += q[qOffset + i] * Float.float16ToFloat(block.get(HALF, base + (long) i * Short.BYTES));
        }
        return sum;
    }

    @Override
    public void accumulateValue(KvLayout layout, MemorySegment block, int slot, int kvHead, float weight,
                                float[] acc, int accOffset) {
        long base = valueOffset(layout, slot, kvHead);
        int n = layout.headDim();
        int i = 0;
        if (VECTOR) {
            i = Simd.LANES * (n / Simd.LANES);
            Simd.axpy(weight, block, base, acc, accOffset, i);
        }
        for (; i < n; i++) {
            acc[accOffset + i] += weight * Float.float16ToFloat(block.get(HALF, base + (long) i * Short.BYTES));
        }
    }

    /**
     * The vector kernels, in their own class so that it is only loaded when {@link #VECTOR} holds. Each loop
     * widens its halves inline: a helper returning a vector that the JIT declined to inline would box it.
     */
    private static final class Simd {
        static final VectorSpecies<Float> F = species();
        static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
        static final int LANES = F.length();
        static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(LANES * 16));
        static final ByteOrder ORDER = ByteOrder.nativeOrder();
        /** A half shifted left by 13 (from a sign-extended short), keeping only its sign, exponent, mantissa. */
        static final int FIELDS = 0x8FFF_E000;
        static final float REBIAS = 0x1p112f;

        private static VectorSpecies<Float> species() {
            String width = System.getProperty("gantry.vector", "auto").trim().toLowerCase(Locale.ROOT);
            return switch (width) {
                case "128", "256", "512" -> VectorSpecies.of(float.class,
                        VectorShape.forBitSize(Integer.parseInt(width)));
                default -> FloatVector.SPECIES_PREFERRED;
            };
        }

        /** {@code Σ q[qOffset+i] · half[i]} over {@code n} elements, a multiple of {@link #LANES}. */
        static float dot(MemorySegment block, long base, float[] q, int qOffset, int n) {
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < n; i += LANES) {
                IntVector h = (IntVector) ShortVector.fromMemorySegment(S, block, base + 2L * i, ORDER)
                        .convertShape(VectorOperators.S2I, I, 0);
                IntVector shifted = h.lanewise(VectorOperators.LSHL, 13).and(FIELDS);
                FloatVector w = shifted.reinterpretAsFloats().mul(REBIAS)
                        .blend(shifted.or(0x7F80_0000).reinterpretAsFloats(),
                                h.and(0x7C00).compare(VectorOperators.EQ, 0x7C00).cast(F));
                acc = w.fma(FloatVector.fromArray(F, q, qOffset + i), acc);
            }
            return acc.reduceLanes(VectorOperators.ADD);
        }

        /** {@code acc[accOffset+i] += weight · half[i]} over {@code n} elements, a multiple of {@link #LANES}. */
        static void axpy(float weight, MemorySegment block, long base, float[] acc, int accOffset, int n) {
            for (int i = 0; i < n; i += LANES) {
                IntVector h = (IntVector) ShortVector.fromMemorySegment(S, block, base + 2L * i, ORDER)
                        .convertShape(VectorOperators.S2I, I, 0);
                IntVector shifted = h.lanewise(VectorOperators.LSHL, 13).and(FIELDS);
                FloatVector w = shifted.reinterpretAsFloats().mul(REBIAS)
                        .blend(shifted.or(0x7F80_0000).reinterpretAsFloats(),
                                h.and(0x7C00).compare(VectorOperators.EQ, 0x7C00).cast(F));
                // Multiply, then add: the same two roundings as the scalar loop.
                w.mul(weight).add(FloatVector.fromArray(F, acc, accOffset + i)).intoArray(acc, accOffset + i);
            }
        }
    }
}
