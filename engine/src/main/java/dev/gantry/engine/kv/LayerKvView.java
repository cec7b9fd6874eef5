package dev.gantry.engine.kv;

import dev.gantry.spi.attention.KvSequenceView;
import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvLayout;

import java.lang.foreign.MemorySegment;

/**
 * One sequence's KV in one layer as attention backends read it: slot by slot through the codec. A reusable
 * object — {@link #bind} points it at another sequence or layer without allocating.
 */
public final class LayerKvView implements KvSequenceView {

    private final KvBlockPool pool;
    private final KVCodec codec;
    private SequenceKv sequence;
    private int layer;
    private KvLayout layout;

    public LayerKvView(KvBlockPool pool) {
        this.pool = pool;
        this.codec = pool.codec();
    }

    /** Points this view at {@code sequence}'s KV in {@code layer}. */
    public LayerKvView bind(SequenceKv sequence, int layer) {
        this.sequence = sequence;
        this.layer = layer;
        this.layout = pool.layout(layer);
        return this;
    }

    private MemorySegment block(int slot) {
        return pool.block(layer, sequence.blockOf(slot));
    }

    private int inBlock(int slot) {
        return slot % pool.blockSize();
    }

    @Override
    public int length() {
        return sequence.length();
    }

    @Override
    public int blockSize() {
        return pool.blockSize();
    }

    @Override
    public int position(int slot) {
        return sequence.position(slot);
    }

    @Override
    public float dotKey(int slot, int kvHead, float[] q, int qOffset) {
        return codec.dotKey(layout, block(slot), inBlock(slot), kvHead, q, qOffset);
    }

    @Override
    public void accumulateValue(int slot, int kvHead, float weight, float[] acc, int accOffset) {
        codec.accumulateValue(layout, block(slot), inBlock(slot), kvHead, weight, acc, accOffset);
    }

    @Override
    public void readKey(int slot, int kvHead, float[] dst, int dstOffset) {
        codec.decodeKey(layout, block(slot), inBlock(slot), kvHead, dst, dstOffset);
    }

    @Override
    public void readValue(int slot, int kvHead, float[] dst, int dstOffset) {
        codec.decodeValue(layout, block(slot), inBlock(slot), kvHead, dst, dstOffset);
    }

    /** Stores one token's keys and values (all kv heads) in {@code slot}. */
    public void write(int slot, float[] keys, int keyOffset, float[] values, int valueOffset, int[] positions,
                      int positionOffset) {
        codec.encode(layout, block(slot), inBlock(slot), 1, keys, keyOffset, values, valueOffset, positions,
                positionOffset);
    }
}
