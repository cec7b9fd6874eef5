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
}
