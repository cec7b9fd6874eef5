package dev.gantry.plugins.baseline.kv;

import dev.gantry.spi.kv.KvLayout;

import java.lang.foreign.MemorySegment;

/**
 * The block layout of the plain codecs, whatever their element size: all keys, then all values, each head-major
 * (head {@code h}'s slots are {@code blockSize × headDim} consecutive elements). Attention reads one head across
 * many slots, so a block's run of slots for one head is then one contiguous read; slot-major, it would be
 * {@code blockSize} reads {@code kvDim} elements apart, which the memory system serves several times more slowly.
 */
final class HeadMajorBlock {

    private HeadMajorBlock() {
    }

    /** Byte offset of the key of {@code kvHead} in {@code slot}. */
    static long keyOffset(KvLayout layout, int slot, int kvHead, int elementBytes) {
        return ((long) kvHead * layout.blockSize() + slot) * layout.headDim() * elementBytes;
    }

    /** Byte offset of the value of {@code kvHead} in {@code slot}: the values follow the block's keys. */
    static long valueOffset(KvLayout layout, int slot, int kvHead, int elementBytes) {
        return (long) layout.blockSize() * layout.kvDim() * elementBytes + keyOffset(layout, slot, kvHead,
                elementBytes);
    }

    /** Copies one slot's keys and values, every head, as bytes. */
    static void copySlot(KvLayout layout, MemorySegment fromBlock, int fromSlot, MemorySegment toBlock, int toSlot,
                         int elementBytes) {
        long bytes = (long) layout.headDim() * elementBytes;
        for (int h = 0; h < layout.kvHeads(); h++) {
            MemorySegment.copy(fromBlock, keyOffset(layout, fromSlot, h, elementBytes), toBlock,
                    keyOffset(layout, toSlot, h, elementBytes), bytes);
            MemorySegment.copy(fromBlock, valueOffset(layout, fromSlot, h, elementBytes), toBlock,
                    valueOffset(layout, toSlot, h, elementBytes), bytes);
        }
    }
}
