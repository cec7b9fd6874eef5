package dev.gantry.engine.kv;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The device memory of the KV cache: one off-heap segment per layer, cut into {@code totalBlocks} blocks of
 * that layer's codec-declared size. Allocated once, up front, with the per-block slices made here so that
 * attention's per-slot lookups never allocate. Blocks with the same id in different layers belong together:
 * a block id names a token range in every layer.
 */
final class KvBlockMemory implements AutoCloseable {

    private final Arena arena = Arena.ofShared();
    private final long[] layerBlockBytes;
    private final MemorySegment[] layers;
    private final MemorySegment[][] blocks;

    KvBlockMemory(long[] layerBlockBytes, int totalBlocks) {
        this.layerBlockBytes = layerBlockBytes.clone();
        this.layers = new MemorySegment[layerBlockBytes.length];
        this.blocks = new MemorySegment[layerBlockBytes.length][totalBlocks];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = arena.allocate(layerBlockBytes[l] * totalBlocks, 64);
            for (int b = 0; b < totalBlocks; b++) {
                blocks[l][b] = layers[l].asSlice(layerBlockBytes[l] * b, layerBlockBytes[l]);
            }
        }
    }

    /** Block {@code block} of layer {@code layer}. */
    MemorySegment block(int layer, int block) {
        return blocks[layer][block];
    }

    /** Bytes of one block in {@code layer}. */
    long blockBytes(int layer) {
        return layerBlockBytes[layer];
    }

    int layerCount() {
        return layers.length;
    }

    /** Copies block {@code from} over block {@code to} in every layer, byte for byte (copy-on-write). */
    void copyBlock(int from, int to) {
        for (int l = 0; l < layers.length; l++) {
            MemorySegment.copy(blocks[l][from], 0, blocks[l][to], 0, layerBlockBytes[l]);
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
