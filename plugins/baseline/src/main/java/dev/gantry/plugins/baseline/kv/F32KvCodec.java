package dev.gantry.plugins.baseline.kv;

import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvCodecSpec;
import dev.gantry.spi.kv.KvLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Stores keys and values as 32-bit floats: lossless, 8 × kvDim bytes per token per layer.
 *
 * <p>Block layout: {@link HeadMajorBlock}, 4 bytes per element.
 *
 * <p>The reads ({@link #decodeKey}, {@link #decodeValue}, {@link #dotKey}, {@link #accumulateValue}) use the
 * Vector API when it is available (the {@code jdk.incubator.vector} module is present and {@code -Dgantry.vector}
 * is not {@code off}; a width of 128, 256 or 512 may be forced the same way as for the engine's kernels), and
 * plain loops otherwise; decoding is exact either way, the fused reads agree up to float rounding.
 */
public final class F32KvCodec implements KVCodec {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** Whether the Vector API kernels run: the module is present and {@code gantry.vector} is not off. */
    static final boolean VECTOR = !System.getProperty("gantry.vector", "auto").trim().equalsIgnoreCase("off")
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    @Override
    public String name() {
        return "f32";
    }

    @Override
    public KvCodecSpec spec(KvLayout layout) {
        return KvCodecSpec.plain(2 * layout.kvDim() * Float.BYTES, 0);
    }

    private static long keyOffset(KvLayout layout, int slot, int kvHead) {
        return HeadMajorBlock.keyOffset(layout, slot, kvHead, Float.BYTES);
    }

    private static long valueOffset(KvLayout layout, int slot, int kvHead) {
        return HeadMajorBlock.valueOffset(layout, slot, kvHead, Float.BYTES);
    }

    @Override
    public void encode(KvLayout layout, MemorySegment block, int firstSlot, int count, float[] keys, int keyOffset,
                       float[] values, int valueOffset, int[] positions, int positionOffset) {
        int headDim = layout.headDim();
        for (int t = 0; t < count; t++) {
            for (int h = 0; h < layout.kvHeads(); h++) {
                int from = t * layout.kvDim() + h * headDim;
                MemorySegment.copy(keys, keyOffset + from, block, FLOAT, keyOffset(layout, firstSlot + t, h), headDim);
                MemorySegment.copy(values, valueOffset + from, block, FLOAT, valueOffset(layout, firstSlot + t, h),
                        headDim);
            }
        }
    }

    @Override
    public void copySlot(KvLayout layout, MemorySegment fromBlock, int fromSlot, MemorySegment toBlock, int toSlot,
                         int position) {
        HeadMajorBlock.copySlot(layout, fromBlock, fromSlot, toBlock, toSlot, Float.BYTES);
    }

    @Override
    public void decodeKey(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst, int dstOffset) {
        copy(block, keyOffset(layout, slot, kvHead), dst, dstOffset, layout.headDim());
    }

    @Override
    public void decodeValue(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst, int dstOffset) {
        copy(block, valueOffset(layout, slot, kvHead), dst, dstOffset, layout.headDim());
    }

    @Override
    public void decodeKeys(KvLayout layout, MemorySegment block, int firstSlot, int count, int kvHead, float[] dst,
                           int dstOffset) {
        copy(block, keyOffset(layout, firstSlot, kvHead), dst, dstOffset, count * layout.headDim());
    }

    @Override
    public void decodeValues(KvLayout layout, MemorySegment block, int firstSlot, int count, int kvHead,
                             float[] dst, int dstOffset) {
        copy(block, valueOffset(layout, firstSlot, kvHead), dst, dstOffset, count * layout.headDim());
    }

    /** Floats into an array: vector loads and stores, which beat a bulk copy's set-up at a head's 64 floats. */
    private static void copy(MemorySegment block, long base, float[] dst, int dstOffset, int n) {
        int i = 0;
        if (VECTOR) {
            i = Simd.LANES * (n / Simd.LANES);
            Simd.copy(block, base, dst, dstOffset, i);
        }
        if (i < n) {
            MemorySegment.copy(block, FLOAT, base + (long) i * Float.BYTES, dst, dstOffset + i, n - i);
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
            sum += q[qOffset + i] * block.get(FLOAT, base + (long) i * Float.BYTES);
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
            acc[accOffset + i] += weight * block.get(FLOAT, base + (long) i * Float.BYTES);
        }
    }

    /** The vector kernels, in their own class so that it is only loaded when {@link #VECTOR} holds. */
    private static final class Simd {
        static final VectorSpecies<Float> F = species();
        static final int LANES = F.length();

        private static VectorSpecies<Float> species() {
            String width = System.getProperty("gantry.vector", "auto").trim().toLowerCase(Locale.ROOT);
            return switch (width) {
                case "128", "256", "512" -> VectorSpecies.of(float.class,
                        VectorShape.forBitSize(Integer.parseInt(width)));
                default -> FloatVector.SPECIES_PREFERRED;
            };
        }

        /** Copies {@code n} floats, a multiple of {@link #LANES}. */
        static void copy(MemorySegment block, long base, float[] dst, int dstOffset, int n) {
            for (int i = 0; i < n; i += LANES) {
                FloatVector.fromMemorySegment(F, block, base + (long) i * Float.BYTES, ByteOrder.nativeOrder())
                        .intoArray(dst, dstOffset + i);
            }
        }

        /** {@code Σ q[qOffset+i] · key[i]} over {@code n} elements, {@code n} a multiple of {@link #LANES}. */
        static float dot(MemorySegment block, long base, float[] q, int qOffset, int n) {
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < n; i += LANES) {
                acc = FloatVector.fromMemorySegment(F, block, base + (long) i * Float.BYTES, ByteOrder.nativeOrder())
                        .fma(FloatVector.fromArray(F, q, qOffset + i), acc);
            }
            return acc.reduceLanes(VectorOperators.ADD);
        }

        /** {@code acc[accOffset+i] += weight · value[i]} over {@code n} elements, a multiple of {@link #LANES}. */
        static void axpy(float weight, MemorySegment block, long base, float[] acc, int accOffset, int n) {
            for (int i = 0; i < n; i += LANES) {
                // Multiply, then add: the same two roundings as the scalar loop.
                FloatVector.fromMemorySegment(F, block, base + (long) i * Float.BYTES, ByteOrder.nativeOrder())
                        .mul(weight).add(FloatVector.fromArray(F, acc, accOffset + i)).intoArray(acc, accOffset + i);
            }
        }
    }
}
