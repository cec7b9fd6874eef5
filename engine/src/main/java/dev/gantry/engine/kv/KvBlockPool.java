package dev.gantry.engine.kv;

import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvCodecSpec;
import dev.gantry.spi.kv.KvLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The KV cache's memory: a fixed number of blocks, sized from a byte budget, each holding
 * {@code blockSize} token slots of every layer in the codec's layout. Block {@code b} of layer {@code l} is a
 * slice of one off-heap segment per layer, allocated once up front so the token loop never allocates.
 *
 * <p>Not thread-safe: allocation and release happen on the engine's loop thread; reading and writing block
 * contents may happen from compute threads on distinct slots.
 */
public final class KvBlockPool implements AutoCloseable {

    private final KVCodec codec;
    private final KvLayout[] layouts;
    private final long[] blockBytes;
    private final MemorySegment[][] blockMemory;
    private final int blockSize;
    private final int totalBlocks;
    private final Deque<Integer> free = new ArrayDeque<>();
    private final Arena arena = Arena.ofShared();

    /**
     * @param codec       how slots are encoded
     * @param layers      number of layers
     * @param kvHeads     key/value heads per layer
     * @param headDim     elements per head
     * @param blockSize   tokens per block
     * @param budgetBytes memory for all blocks of all layers
     * @throws IllegalArgumentException when the budget cannot hold a single block
     */
    public KvBlockPool(KVCodec codec, int layers, int kvHeads, int headDim, int blockSize, long budgetBytes) {
        this.codec = codec;
        this.blockSize = blockSize;
        this.layouts = new KvLayout[layers];
        this.blockBytes = new long[layers];
        long bytesPerBlock = 0;
        for (int l = 0; l < layers; l++) {
            layouts[l] = new KvLayout(l, layers, kvHeads, headDim, blockSize);
            KvCodecSpec spec = codec.spec(layouts[l]);
            if (spec.recentWindow() > 0 || spec.sinkTokens() > 0 || spec.encodeGroup() > 1) {
                // Windows and grouped encoding arrive with the first codec that needs them (SKVQ).
                throw new IllegalArgumentException("KV codec '" + codec.name()
                        + "' declares full-precision windows or grouped encoding, which this engine does not run yet");
            }
            blockBytes[l] = spec.blockBytes(blockSize);
            bytesPerBlock += blockBytes[l];
        }
        long blocks = budgetBytes / bytesPerBlock;
        if (blocks < 1) {
            throw new IllegalArgumentException("a KV budget of " + budgetBytes + " bytes cannot hold one block of "
                    + blockSize + " tokens (" + bytesPerBlock + " bytes with codec " + codec.name() + ")");
        }
        this.totalBlocks = (int) Math.min(blocks, Integer.MAX_VALUE / 2);
        // Slices are made once here: the attention inner loop looks blocks up per slot.
        this.blockMemory = new MemorySegment[layers][totalBlocks];
        for (int l = 0; l < layers; l++) {
            MemorySegment layerMemory = arena.allocate(blockBytes[l] * totalBlocks, 64);
            for (int b = 0; b < totalBlocks; b++) {
                blockMemory[l][b] = layerMemory.asSlice(blockBytes[l] * b, blockBytes[l]);
            }
        }
        for (int b = 0; b < totalBlocks; b++) {
            free.addLast(b);
        }
    }

    /** A block id, or -1 when none is free. */
    public int allocate() {
        Integer b = free.pollFirst();
        return b == null ? -1 : b;
    }

    /** Returns a block to the pool. */
    public void release(int block) {
        free.addFirst(block);
    }

    /** The memory of block {@code block} in layer {@code layer}. */
    public MemorySegment block(int layer, int block) {
        return blockMemory[layer][block];
    }

    /** The layout of layer {@code layer}. */
    public KvLayout layout(int layer) {
        return layouts[layer];
    }

    /** The codec blocks are stored with. */
    public KVCodec codec() {
        return codec;
    }

    public int blockSize() {
        return blockSize;
    }

    public int totalBlocks() {
        return totalBlocks;
    }

    public int freeBlocks() {
        return free.size();
    }

    /** Bytes of one block across all layers. */
    public long bytesPerBlock() {
        long sum = 0;
        for (long b : blockBytes) {
            sum += b;
        }
        return sum;
    }

    @Override
    public void close() {
        arena.close();
    }
}
