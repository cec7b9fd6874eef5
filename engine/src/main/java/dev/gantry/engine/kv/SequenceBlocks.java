package dev.gantry.engine.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * One sequence's view of the paged KV cache: its block table (entry {@code i} holds slots
 * {@code i·blockSize .. (i+1)·blockSize-1}), and the token id and position stored in each slot. The token ids
 * are what prefix caching matches on; positions equal slots except for the nodes of a draft tree.
 *
 * <p>Created by {@link PagedKvCache#newSequence()} and changed only through the cache, on the engine's loop
 * thread. After {@link PagedKvCache#swapOut} the table names host blocks until {@link PagedKvCache#swapIn}.
 */
public final class SequenceBlocks {

    final PagedKvCache owner;
    /** Device block ids, or host block ids while swapped. */
    int[] blocks = new int[4];
    int blockCount;
    int[] tokens = new int[64];
    int[] positions = new int[64];
    int length;
    /** Prefix keys of the leading full blocks whose content is keyed (registered here or elsewhere). */
    PrefixKey[] keys = new PrefixKey[4];
    int keyedBlocks;
    boolean swapped;

    SequenceBlocks(PagedKvCache owner) {
        this.owner = owner;
    }

    /** Slots claimed so far (tokens whose KV is stored or being computed). */
    public int length() {
        return length;
    }

    /** Blocks in the table: reserved room included, so {@code blockCount() · blockSize ≥ length()}. */
    public int blockCount() {
        return blockCount;
    }

    /** Slots that can be claimed without another {@link PagedKvCache#reserve}. */
    public int reservedSlots() {
        return blockCount * owner.blockSize() - length;
    }

    /** The token id in {@code slot}. */
    public int tokenAt(int slot) {
        return tokens[Objects.checkIndex(slot, length)];
    }

    /** The token's position (its RoPE position) in {@code slot}. */
    public int position(int slot) {
        return positions[Objects.checkIndex(slot, length)];
    }

    /** The device block holding {@code slot}. Not meaningful while swapped. */
    public int blockOf(int slot) {
        return blocks[slot / owner.blockSize()];
    }

    /** The block at table index {@code index}: a device block, or a host block while swapped. */
    public int blockAt(int index) {
        return blocks[Objects.checkIndex(index, blockCount)];
    }

    /** Whether the blocks sit in the host swap pool. */
    public boolean isSwapped() {
        return swapped;
    }

    /** Blocks needed to hold the claimed slots (the rest of the table is reserved room). */
    int blocksInUse() {
        return (length + owner.blockSize() - 1) / owner.blockSize();
    }

    /** Grows the table, token and key arrays to hold {@code blockCapacity} blocks. */
    void ensureCapacity(int blockCapacity) {
        if (blocks.length < blockCapacity) {
            int n = Math.max(blockCapacity, blocks.length * 2);
            blocks = Arrays.copyOf(blocks, n);
            keys = Arrays.copyOf(keys, n);
        }
        int slots = blockCapacity * owner.blockSize();
        if (tokens.length < slots) {
            int n = Math.max(slots, tokens.length * 2);
            tokens = Arrays.copyOf(tokens, n);
            positions = Arrays.copyOf(positions, n);
        }
    }

    /** Forgets the prefix keys of table entries from {@code index} on (their content is about to change). */
    void dropKeysFrom(int index) {
        while (keyedBlocks > index) {
            keys[--keyedBlocks] = null;
        }
    }

    @Override
    public String toString() {
        return "SequenceBlocks[length " + length + ", blocks " + Arrays.toString(Arrays.copyOf(blocks, blockCount))
                + (swapped ? " (host)" : "") + "]";
    }
}
