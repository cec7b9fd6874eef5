package dev.gantry.plugins.baseline.kv;

import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvCodecSpec;
import dev.gantry.spi.kv.KvLayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Stores keys and values as 32-bit floats: lossless, 8 × kvDim bytes per token per layer.
 *
 * <p>Block layout: all slots' keys first ({@code blockSize × kvDim} floats, slot-major), then all values, so a
 * head's elements are contiguous for the dot products.
 */
public final class F32KvCodec implements KVCodec {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    @Override
    public String name() {
        return "f32";
    }

    @Override
    public KvCodecSpec spec(KvLayout layout) {
        return KvCodecSpec.plain(2 * layout.kvDim() * Float.BYTES, 0);
    }

    private static long keyOffset(KvLayout layout, int slot, int kvHead) {
        return ((long) slot * layout.kvDim() + (long) kvHead * layout.headDim()) * Float.BYTES;
    }

    private static long valueOffset(KvLayout layout, int slot, int kvHead) {
        return (long) layout.blockSize() * layout.kvDim() * Float.BYTES + keyOffset(layout, slot, kvHead);
    }

    @Override
    public void encode(KvLayout layout, MemorySegment block, int firstSlot, int count, float[] keys, int keyOffset,
                       float[] values, int valueOffset, int[] positions, int positionOffset) {
        int n = count * layout.kvDim();
        MemorySegment.copy(keys, keyOffset, block, FLOAT, keyOffset(layout, firstSlot, 0), n);
        MemorySegment.copy(values, valueOffset, block, FLOAT, valueOffset(layout, firstSlot, 0), n);
    }

    @Override
    public void copySlot(KvLayout layout, MemorySegment fromBlock, int fromSlot, MemorySegment toBlock, int toSlot,
                         int position) {
        long bytes = (long) layout.kvDim() * Float.BYTES;
        MemorySegment.copy(fromBlock, keyOffset(layout, fromSlot, 0), toBlock, keyOffset(layout, toSlot, 0), bytes);
        MemorySegment.copy(fromBlock, valueOffset(layout, fromSlot, 0), toBlock, valueOffset(layout, toSlot, 0),
                bytes);
    }

    @Override
    public void decodeKey(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst, int dstOffset) {
        MemorySegment.copy(block, FLOAT, keyOffset(layout, slot, kvHead), dst, dstOffset, layout.headDim());
    }

    @Override
    public void decodeValue(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst, int dstOffset) {
        MemorySegment.copy(block, FLOAT, valueOffset(layout, slot, kvHead), dst, dstOffset, layout.headDim());
    }

    @Override
    public float dotKey(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] q, int qOffset) {
        long base = keyOffset(layout, slot, kvHead);
        float sum = 0f;
        for (int i = 0; i < layout.headDim(); i++) {
            sum += q[qOffset + i] * block.get(FLOAT, base + (long) i * Float.BYTES);
        }
        return sum;
    }

    @Override
    public void accumulateValue(KvLayout layout, MemorySegment block, int slot, int kvHead, float weight,
                                float[] acc, int accOffset) {
        long base = valueOffset(layout, slot, kvHead);
        for (int i = 0; i < layout.headDim(); i++) {
            acc[accOffset + i] += weight * block.get(FLOAT, base + (long) i * Float.BYTES);
        }
    }
}
