package dev.gantry.engine.kv;

import dev.gantry.spi.attention.KvSequenceView;
import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvLayout;

import java.lang.foreign.MemorySegment;

/**
 * One sequence's KV in one layer of a {@link PagedKvCache}, as attention backends read it: slot by slot,
 * through the codec, following the sequence's block table — never a materialised copy. It also writes the
 * KV of newly computed tokens, so the forward pass needs no other access to block memory.
 *
 * <p>Reusable: {@link #bind} points it at another sequence or layer without allocating. One view serves one
 * thread at a time; compute threads each hold their own.
 */
public final class PagedKvView implements KvSequenceView {

    private final PagedKvCache cache;
    private final KVCodec codec;
    private final int blockSize;
    private final int[] position = new int[1];
    private SequenceBlocks sequence;
    private int layer;
    private KvLayout layout;

    public PagedKvView(PagedKvCache cache) {
        this.cache = cache;
        this.codec = cache.codec();
        this.blockSize = cache.blockSize();
    }

    /**
     * Points this view at {@code sequence}'s KV in {@code layer}.
     *
     * @throws IllegalArgumentException when the sequence belongs to another cache
     * @throws IllegalStateException    when it is swapped out
     */
    public PagedKvView bind(SequenceBlocks sequence, int layer) {
        if (sequence.owner != cache) {
            throw new IllegalArgumentException("the sequence belongs to another KV cache");
        }
        if (sequence.swapped) {
            throw new IllegalStateException("the sequence is swapped out; swap it in first");
        }
        this.sequence = sequence;
        this.layer = layer;
        this.layout = cache.layout(layer);
        return this;
    }

    private MemorySegment block(int slot) {
        return cache.block(layer, sequence.blocks[slot / blockSize]);
    }

    @Override
    public int length() {
        return sequence.length;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public int position(int slot) {
        return sequence.positions[slot];
    }

    @Override
    public float dotKey(int slot, int kvHead, float[] q, int qOffset) {
        return codec.dotKey(layout, block(slot), slot % blockSize, kvHead, q, qOffset);
    }

    @Override
    public void accumulateValue(int slot, int kvHead, float weight, float[] acc, int accOffset) {
        codec.accumulateValue(layout, block(slot), slot % blockSize, kvHead, weight, acc, accOffset);
    }

    @Override
    public void readKey(int slot, int kvHead, float[] dst, int dstOffset) {
        codec.decodeKey(layout, block(slot), slot % blockSize, kvHead, dst, dstOffset);
    }

    @Override
    public void readValue(int slot, int kvHead, float[] dst, int dstOffset) {
        codec.decodeValue(layout, block(slot), slot % blockSize, kvHead, dst, dstOffset);
    }

    @Override
    public void readKeys(int firstSlot, int count, int kvHead, float[] dst, int dstOffset, int dstStride) {
        if (dstStride == layout.headDim()) {
            readPacked(false, firstSlot, count, kvHead, dst, dstOffset);
        } else {
            KvSequenceView.super.readKeys(firstSlot, count, kvHead, dst, dstOffset, dstStride);
        }
    }

    @Override
    public void readValues(int firstSlot, int count, int kvHead, float[] dst, int dstOffset, int dstStride) {
        if (dstStride == layout.headDim()) {
            readPacked(true, firstSlot, count, kvHead, dst, dstOffset);
        } else {
            KvSequenceView.super.readValues(firstSlot, count, kvHead, dst, dstOffset, dstStride);
        }
    }

    /** A packed range read: one codec call per block the range touches. */
    private void readPacked(boolean values, int firstSlot, int count, int kvHead, float[] dst, int dstOffset) {
        int end = firstSlot + count;
        for (int slot = firstSlot; slot < end; ) {
            int inBlock = slot % blockSize;
            int n = Math.min(end - slot, blockSize - inBlock);
            int at = dstOffset + (slot - firstSlot) * layout.headDim();
            if (values) {
                codec.decodeValues(layout, block(slot), inBlock, n, kvHead, dst, at);
            } else {
                codec.decodeKeys(layout, block(slot), inBlock, n, kvHead, dst, at);
            }
            slot += n;
        }
    }

    /**
     * Stores one token's keys and values (all kv heads, {@code kvDim} elements each) in {@code slot}, which
     * must have been claimed with {@link PagedKvCache#appendSlot}.
     *
     * @param position the token's position, passed to the codec
     */
    public void write(int slot, float[] keys, int keyOffset, float[] values, int valueOffset, int position) {
        this.position[0] = position;
        codec.encode(layout, block(slot), slot % blockSize, 1, keys, keyOffset, values, valueOffset, this.position,
                0);
    }
}
