package dev.gantry.engine.kv;

import java.util.Arrays;

/**
 * One sequence's KV: its block table (the blocks holding slots {@code 0, blockSize, 2·blockSize, ...}) and the
 * token position stored in each slot. Slots are filled in order; positions equal slots except for the nodes
 * of a draft tree.
 */
public final class SequenceKv {

    private final KvBlockPool pool;
    private int[] blocks = new int[4];
    private int blockCount;
    private int[] positions = new int[64];
    private int length;

    public SequenceKv(KvBlockPool pool) {
        this.pool = pool;
    }

    /** Slots written so far. */
    public int length() {
        return length;
    }

    /** Number of blocks held. */
    public int blockCount() {
        return blockCount;
    }

    /** The block holding slot {@code slot}. */
    public int blockOf(int slot) {
        return blocks[slot / pool.blockSize()];
    }

    /** The position stored in slot {@code slot}. */
    public int position(int slot) {
        return positions[slot];
    }

    /**
     * Makes room for {@code extra} more slots, allocating blocks as needed.
     *
     * @return false, holding no new blocks, when the pool has too few free blocks
     */
    public boolean reserve(int extra) {
        int needed = (length + extra + pool.blockSize() - 1) / pool.blockSize();
        if (needed - blockCount > pool.freeBlocks()) {
            return false;
        }
        while (blockCount < needed) {
            if (blockCount == blocks.length) {
                blocks = Arrays.copyOf(blocks, blocks.length * 2);
            }
            blocks[blockCount++] = pool.allocate();
        }
        if (positions.length < needed * pool.blockSize()) {
            positions = Arrays.copyOf(positions, Math.max(positions.length * 2, needed * pool.blockSize()));
        }
        return true;
    }

    /** Claims the next slot for a token at {@code position}; room must have been {@link #reserve reserved}. */
    public int appendSlot(int position) {
        int slot = length;
        if (slot / pool.blockSize() >= blockCount) {
            throw new IllegalStateException("slot " + slot + " was not reserved");
        }
        positions[slot] = position;
        length++;
        return slot;
    }

    /** Forgets slots at and after {@code newLength}, releasing blocks no longer needed. */
    public void truncate(int newLength) {
        if (newLength > length || newLength < 0) {
            throw new IllegalArgumentException("cannot truncate " + length + " slots to " + newLength);
        }
        length = newLength;
        int keep = (newLength + pool.blockSize() - 1) / pool.blockSize();
        while (blockCount > keep) {
            pool.release(blocks[--blockCount]);
        }
    }

    /** Releases every block. */
    public void release() {
        truncate(0);
    }
}
