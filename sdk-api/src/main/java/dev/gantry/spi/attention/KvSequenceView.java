package dev.gantry.spi.attention;

import dev.gantry.spi.Api;

/**
 * Read access to one sequence's keys and values in one layer, through the active KV codec, slot by slot —
 * never a materialised copy of the cache. Slot {@code s} lives in block {@code s / blockSize()}; backends that
 * skip work by block (SampleAttention, Quest) iterate in blocks.
 *
 * <p>Valid only during the call that handed it out; not thread-safe across calls.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface KvSequenceView {

    /** {@return number of stored slots, including those written for the current call's queries} */
    int length();

    /** {@return tokens per block} */
    int blockSize();

    /**
     * The token position (RoPE position) of the token in a slot. Equals the slot except in draft trees.
     *
     * @param slot the slot
     * @return the position
     */
    int position(int slot);

    /**
     * Dot product of {@code q[qOffset .. qOffset+headDim)} with the key of {@code kvHead} in {@code slot}.
     *
     * @param slot    the slot
     * @param kvHead  the key/value head
     * @param q       the query array
     * @param qOffset where the query head starts in {@code q}
     * @return the dot product
     */
    float dotKey(int slot, int kvHead, float[] q, int qOffset);

    /**
     * Adds {@code weight ×} the value of {@code kvHead} in {@code slot} to {@code acc[accOffset ..)}.
     *
     * @param slot      the slot
     * @param kvHead    the key/value head
     * @param weight    the weight (a softmax probability)
     * @param acc       the accumulator
     * @param accOffset where in {@code acc} the head starts
     */
    void accumulateValue(int slot, int kvHead, float weight, float[] acc, int accOffset);

    /**
     * Decodes the key of {@code kvHead} in {@code slot} into {@code dst[dstOffset .. dstOffset+headDim)}.
     *
     * @param slot      the slot
     * @param kvHead    the key/value head
     * @param dst       where to write
     * @param dstOffset where in {@code dst} to start
     */
    void readKey(int slot, int kvHead, float[] dst, int dstOffset);

    /**
     * Decodes the value of {@code kvHead} in {@code slot} into {@code dst[dstOffset .. dstOffset+headDim)}.
     *
     * @param slot      the slot
     * @param kvHead    the key/value head
     * @param dst       where to write
     * @param dstOffset where in {@code dst} to start
     */
    void readValue(int slot, int kvHead, float[] dst, int dstOffset);

    /**
     * Decodes the keys of {@code kvHead} in slots {@code firstSlot .. firstSlot+count)}: slot
     * {@code firstSlot + i} goes to {@code dst[dstOffset + i·dstStride ..)}. With {@code dstStride} equal to the
     * head size the keys land packed, and the engine's view reads each block's run of slots with one codec call
     * ({@link dev.gantry.spi.kv.KVCodec#decodeKeys}), which reads contiguous memory where the codec stores a
     * head's slots together. Backends that copy many slots should use it; the default reads slot by slot.
     *
     * @param firstSlot the first slot
     * @param count     slots to read
     * @param kvHead    the key/value head
     * @param dst       where to write
     * @param dstOffset where in {@code dst} the first slot's key starts
     * @param dstStride how far apart in {@code dst} consecutive slots' keys start (at least the head size)
     */
    default void readKeys(int firstSlot, int count, int kvHead, float[] dst, int dstOffset, int dstStride) {
        for (int i = 0; i < count; i++) {
            readKey(firstSlot + i, kvHead, dst, dstOffset + i * dstStride);
        }
    }

    /**
     * Decodes the values of {@code kvHead} in slots {@code firstSlot .. firstSlot+count)}, as
     * {@link #readKeys} does the keys.
     *
     * @param firstSlot the first slot
     * @param count     slots to read
     * @param kvHead    the key/value head
     * @param dst       where to write
     * @param dstOffset where in {@code dst} the first slot's value starts
     * @param dstStride how far apart in {@code dst} consecutive slots' values start (at least the head size)
     */
    default void readValues(int firstSlot, int count, int kvHead, float[] dst, int dstOffset, int dstStride) {
        for (int i = 0; i < count; i++) {
            readValue(firstSlot + i, kvHead, dst, dstOffset + i * dstStride);
        }
    }
}
