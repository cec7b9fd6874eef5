package dev.gantry.engine.kv;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A bounded off-heap pool in host memory where the blocks of sequences preempted by swap wait (FastServe's
 * proactive swapping, vLLM v0's swap space). A host block holds one device block of every layer, back to
 * back; copies are raw bytes, so a swapped sequence comes back bit-identical whatever the codec.
 */
final class HostSwapPool implements AutoCloseable {

    private final Arena arena = Arena.ofShared();
    private final KvBlockMemory device;
    private final long[] layerOffsets;
    private final long bytesPerBlock;
    private final int totalBlocks;
    private final FreeBlockStack free;
    private final MemorySegment memory;

    /** A pool of {@code totalBlocks} host blocks shaped like {@code device}'s; 0 blocks means no swapping. */
    HostSwapPool(KvBlockMemory device, int totalBlocks) {
        this.device = device;
        this.totalBlocks = totalBlocks;
        this.layerOffsets = new long[device.layerCount()];
        long bytes = 0;
        for (int l = 0; l < layerOffsets.length; l++) {
            layerOffsets[l] = bytes;
            bytes += device.blockBytes(l);
        }
        this.bytesPerBlock = bytes;
        this.free = new FreeBlockStack(totalBlocks, totalBlocks);
        this.memory = totalBlocks == 0 ? MemorySegment.NULL : arena.allocate(bytes * totalBlocks, 64);
    }

    int totalBlocks() {
        return totalBlocks;
    }

    int freeBlocks() {
        return free.size();
    }

    /** A host block id; the pool must have a free one. */
    int take() {
        return free.pop();
    }

    /** Returns a host block to the pool. */
    void give(int hostBlock) {
        free.push(hostBlock);
    }

    /** Copies device block {@code deviceBlock} (every layer) into host block {@code hostBlock}. */
    void copyFromDevice(int deviceBlock, int hostBlock) {
        long base = hostBlock * bytesPerBlock;
        for (int l = 0; l < layerOffsets.length; l++) {
            MemorySegment.copy(device.block(l, deviceBlock), 0, memory, base + layerOffsets[l], device.blockBytes(l));
        }
    }

    /** Copies host block {@code hostBlock} back into device block {@code deviceBlock} (every layer). */
    void copyToDevice(int hostBlock, int deviceBlock) {
        long base = hostBlock * bytesPerBlock;
        for (int l = 0; l < layerOffsets.length; l++) {
            MemorySegment.copy(memory, base + layerOffsets[l], device.block(l, deviceBlock), 0, device.blockBytes(l));
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
