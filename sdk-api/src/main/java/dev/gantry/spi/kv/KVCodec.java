package dev.gantry.spi.kv;

import dev.gantry.spi.Api;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * Stores KV blocks, possibly compressed, and reads them back. The paged KV cache owns the memory: a block of
 * one layer is a {@link MemorySegment} of {@link KvCodecSpec#blockBytes(int)} bytes holding
 * {@link KvLayout#blockSize()} token slots; the codec decides the byte layout inside it.
 *
 * <p>How the papers map onto it: the baseline's F32 and F16 codecs store each element plainly; SKVQ
 * declares a full-precision sink and recent window ({@link KvCodecSpec}), quantises keys per channel group in
 * {@link #encode} after the channel permutation and clipping found by {@link #calibrate}, and implements the
 * fused {@link #dotKey}/{@link #accumulateValue} so attention never materialises the cache; KIVI is the same
 * shape with per-channel keys and per-token values.
 *
 * <p>Threading: one instance serves all layers and sequences and is called from several threads at once, on
 * different blocks; it must keep no mutable state outside the blocks (calibration data is read-only after
 * creation). The {@code decode*} defaults decode into a per-thread scratch buffer and are correct but slow —
 * override {@link #dotKey} and {@link #accumulateValue} with fused versions where the format allows.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface KVCodec {

    /** {@return the codec's name, as selected by {@code gantry.kv-codec}} */
    String name();

    /**
     * What this codec declares for a layer of this layout. Called once per layer when the cache is built.
     *
     * @param layout the layer's layout
     * @return the declaration; never null
     */
    KvCodecSpec spec(KvLayout layout);

    /**
     * Encodes {@code count} consecutive tokens into slots {@code firstSlot .. firstSlot+count-1} of a block.
     * {@code count} is {@link KvCodecSpec#encodeGroup()} (or fewer only when a sequence ends mid-group and the
     * engine flushes it); the slots never cross the block's end.
     *
     * @param layout         the layer's layout
     * @param block          the block's memory
     * @param firstSlot      the first slot written
     * @param count          tokens to encode
     * @param keys           {@code count × kvDim} key elements, token-major, RoPE applied unless
     *                       {@link KvCodecSpec#preRopeKeys()}; read from {@code keyOffset}
     * @param keyOffset      where the first token's keys start in {@code keys}
     * @param values         {@code count × kvDim} value elements, token-major; read from {@code valueOffset}
     * @param valueOffset    where the first token's values start in {@code values}
     * @param positions      the tokens' positions in their sequence (for pre-RoPE codecs and position-aware
     *                       schemes), read from {@code positionOffset}
     * @param positionOffset where the first token's position is in {@code positions}
     */
    void encode(KvLayout layout, MemorySegment block, int firstSlot, int count, float[] keys, int keyOffset,
                float[] values, int valueOffset, int[] positions, int positionOffset);

    /**
     * Decodes the key of one head of one slot into {@code dst[dstOffset .. dstOffset+headDim)}.
     *
     * @param layout    the layer's layout
     * @param block     the block's memory
     * @param slot      the slot within the block
     * @param kvHead    the key/value head
     * @param dst       where to write
     * @param dstOffset where in {@code dst} to start
     */
    void decodeKey(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst, int dstOffset);

    /**
     * Decodes the value of one head of one slot into {@code dst[dstOffset .. dstOffset+headDim)}.
     *
     * @param layout    the layer's layout
     * @param block     the block's memory
     * @param slot      the slot within the block
     * @param kvHead    the key/value head
     * @param dst       where to write
     * @param dstOffset where in {@code dst} to start
     */
    void decodeValue(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst, int dstOffset);

    /**
     * Decodes the keys of one head in slots {@code firstSlot .. firstSlot+count)} of a block, packed: slot
     * {@code firstSlot + i} goes to {@code dst[dstOffset + i·headDim ..)}. The slots never cross the block's end.
     * Attention backends read the cache this way, a block at a time; the default decodes slot by slot. Override
     * it where the layout keeps a head's slots together, so that the read is one pass over contiguous memory.
     *
     * @param layout    the layer's layout
     * @param block     the block's memory
     * @param firstSlot the first slot within the block
     * @param count     slots to decode
     * @param kvHead    the key/value head
     * @param dst       where to write
     * @param dstOffset where in {@code dst} to start
     */
    default void decodeKeys(KvLayout layout, MemorySegment block, int firstSlot, int count, int kvHead, float[] dst,
                            int dstOffset) {
        for (int i = 0; i < count; i++) {
            decodeKey(layout, block, firstSlot + i, kvHead, dst, dstOffset + i * layout.headDim());
        }
    }

    /**
     * Decodes the values of one head in slots {@code firstSlot .. firstSlot+count)} of a block, packed, as
     * {@link #decodeKeys} does the keys.
     *
     * @param layout    the layer's layout
     * @param block     the block's memory
     * @param firstSlot the first slot within the block
     * @param count     slots to decode
     * @param kvHead    the key/value head
     * @param dst       where to write
     * @param dstOffset where in {@code dst} to start
     */
    default void decodeValues(KvLayout layout, MemorySegment block, int firstSlot, int count, int kvHead,
                              float[] dst, int dstOffset) {
        for (int i = 0; i < count; i++) {
            decodeValue(layout, block, firstSlot + i, kvHead, dst, dstOffset + i * layout.headDim());
        }
    }

    /**
     * Dot product of a query head ({@code q[qOffset .. qOffset+headDim)}) with one stored key. The default
     * decodes first; fused codecs compute it in the stored domain.
     *
     * @param layout  the layer's layout
     * @param block   the block's memory
     * @param slot    the slot within the block
     * @param kvHead  the key/value head
     * @param q       the query array
     * @param qOffset where the query head starts in {@code q}
     * @return the dot product
     */
    default float dotKey(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] q, int qOffset) {
        float[] k = CodecScratch.get(layout.headDim());
        decodeKey(layout, block, slot, kvHead, k, 0);
        float sum = 0f;
        for (int i = 0; i < layout.headDim(); i++) {
            sum += q[qOffset + i] * k[i];
        }
        return sum;
    }

    /**
     * Adds {@code weight × value} of one stored value head to {@code acc[accOffset .. accOffset+headDim)}.
     * The default decodes first; fused codecs accumulate in the stored domain.
     *
     * @param layout    the layer's layout
     * @param block     the block's memory
     * @param slot      the slot within the block
     * @param kvHead    the key/value head
     * @param weight    the weight (a softmax probability)
     * @param acc       the accumulator
     * @param accOffset where in {@code acc} the head starts
     */
    default void accumulateValue(KvLayout layout, MemorySegment block, int slot, int kvHead, float weight,
                                 float[] acc, int accOffset) {
        float[] v = CodecScratch.get(layout.headDim());
        decodeValue(layout, block, slot, kvHead, v, 0);
        for (int i = 0; i < layout.headDim(); i++) {
            acc[accOffset + i] += weight * v[i];
        }
    }

    /**
     * Copies one slot's stored key and value to another slot, possibly in another block. The engine uses it to
     * keep the accepted path of a verified draft tree in path order. The default decodes and re-encodes (exact
     * for lossless codecs); codecs whose slots are independent byte ranges should copy the bytes instead.
     *
     * @param layout    the layer's layout
     * @param fromBlock the block read
     * @param fromSlot  the slot read
     * @param toBlock   the block written (may be {@code fromBlock})
     * @param toSlot    the slot written
     * @param position  the token's position, passed to {@link #encode} by the default
     */
    default void copySlot(KvLayout layout, MemorySegment fromBlock, int fromSlot, MemorySegment toBlock, int toSlot,
                          int position) {
        int kvDim = layout.kvDim();
        float[] k = new float[kvDim];
        float[] v = new float[kvDim];
        for (int h = 0; h < layout.kvHeads(); h++) {
            decodeKey(layout, fromBlock, fromSlot, h, k, h * layout.headDim());
            decodeValue(layout, fromBlock, fromSlot, h, v, h * layout.headDim());
        }
        encode(layout, toBlock, toSlot, 1, k, 0, v, 0, new int[] {position}, 0);
    }

    /**
     * Learns per-layer metadata (channel permutations, group boundaries, clip ratios) from sample keys and
     * values, to be saved beside the model and handed back through {@link KVCodecContext#calibration()}.
     * Codecs that need none return empty (the default).
     *
     * @param samples keys and values of real text, per layer
     * @return the metadata to save, or empty when the codec needs none
     */
    @Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
    default Optional<KvCalibration> calibrate(KvCalibrationSamples samples) {
        return Optional.empty();
    }
}
