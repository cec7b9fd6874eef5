package dev.gantry.plugins.baseline.kv;

import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvCodecSpec;
import dev.gantry.spi.kv.KvLayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Stores keys and values as IEEE half floats (round to nearest even): half the memory of F32, with a relative
 * error per element of at most 2⁻¹¹ for values in half's normal range (about 6.1e-5 to 65504).
 *
 * <p>Block layout as in {@link F32KvCodec}, with 2-byte elements.
 */
public final class F16KvCodec implements KVCodec {

    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED;

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
        return ((long) slot * layout.kvDim() + (long) kvHead * layout.headDim()) * Short.BYTES;
    }

    private static long valueOffset(KvLayout layout, int slot, int kvHead) {
        return (long) layout.blockSize() * layout.kvDim() * Short.BYTES + keyOffset(layout, slot, kvHead);
    }

    @Override
    public void encode(KvLayout layout, MemorySegment block, int firstSlot, int count, float[] keys, int keyOffset,
                       float[] values, int valueOffset, int[] positions, int positionOffset) {
        int n = count * layout.kvDim();
        long k = keyOffset(layout, firstSlot, 0);
        long v = valueOffset(layout, firstSlot, 0);
        for (int i = 0; i < n; i++) {
            block.set(HALF, k + (long) i * Short.BYTES, Float.floatToFloat16(keys[keyOffset + i]));
            block.set(HALF, v + (long) i * Short.BYTES, Float.floatToFloat16(values[valueOffset + i]));
        }
    }

    @Override
    public void copySlot(KvLayout layout, MemorySegment fromBlock, int fromSlot, MemorySegment toBlock, int toSlot,
                         int position) {
        long bytes = (long) layout.kvDim() * Short.BYTES;
        MemorySegment.copy(fromBlock, keyOffset(layout, fromSlot, 0), toBlock, keyOffset(layout, toSlot, 0), bytes);
        MemorySegment.copy(fromBlock, valueOffset(layout, fromSlot, 0), toBlock, valueOffset(layout, toSlot, 0),
                bytes);
    }

    @Override
    public void decodeKey(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst, int dstOffset) {
        decode(block, keyOffset(layout, slot, kvHead), layout.headDim(), dst, dstOffset);
    }

    @Override
    public void decodeValue(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst, int dstOffset) {
        decode(block, valueOffset(layout, slot, kvHead), layout.headDim(), dst, dstOffset);
    }

    private static void decode(MemorySegment block, long base, int n, float[] dst, int dstOffset) {
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = Float.float16ToFloat(block.get(HALF, base + (long) i * Short.BYTES));
        }
    }

    @Override
    public float dotKey(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] q, int qOffset) {
        long base = keyOffset(layout, slot, kvHead);
        float sum = 0f;
        for (int i = 0; i < layout.headDim(); i++) {
            sum += q[qOffset + i] * Float.float16ToFloat(block.get(HALF, base + (long) i * Short.BYTES));
        }
        return sum;
    }

    @Override
    public void accumulateValue(KvLayout layout, MemorySegment block, int slot, int kvHead, float weight,
                                float[] acc, int accOffset) {
        long base = valueOffset(layout, slot, kvHead);
        for (int i = 0; i < layout.headDim(); i++) {
            acc[accOffset + i] += weight * Float.float16ToFloat(block.get(HALF, base + (long) i * Short.BYTES));
        }
    }
}
