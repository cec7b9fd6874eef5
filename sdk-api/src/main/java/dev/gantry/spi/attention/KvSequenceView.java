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

    /** Number of stored slots, including those written for the current call's queries. */
    int length();

    /** Tokens per block. */
    int blockSize();

    /** The token position (RoPE position) of the token in a slot. Equals the slot except in draft trees. */
    int position(int slot);

    /** Dot product of {@code q[qOffset .. qOffset+headDim)} with the key of {@code kvHead} in {@code slot}. */
    float dotKey(int slot, int kvHead, float[] q, int qOffset);

    /** Adds {@code weight ×} the value of {@code kvHead} in {@code slot} to {@code acc[accOffset ..)}. */
    void accumulateValue(int slot, int kvHead, float weight, float[] acc, int accOffset);

    /** Decodes the key of {@code kvHead} in {@code slot} into {@code dst[dstOffset .. dstOffset+headDim)}. */
    void readKey(int slot, int kvHead, float[] dst, int dstOffset);

    /** Decodes the value of {@code kvHead} in {@code slot} into {@code dst[dstOffset .. dstOffset+headDim)}. */
    void readValue(int slot, int kvHead, float[] dst, int dstOffset);
}
