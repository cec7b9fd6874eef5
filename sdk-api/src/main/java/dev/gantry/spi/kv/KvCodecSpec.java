package dev.gantry.spi.kv;

import dev.gantry.spi.Api;

/**
 * What a codec declares about its storage for one layer. The engine sizes blocks from
 * {@link #bytesPerToken()} and honours the precision windows; the TCK checks that the declared size
 * matches what is stored and that round-trip error stays within {@link #maxRelativeError()}.
 *
 * <p>Mixed-precision layouts (SKVQ, KIVI): the first {@code sinkTokens} tokens of a sequence and its
 * {@code recentWindow} most recent tokens are kept in full precision by the engine; a token is handed to
 * {@link KVCodec#encode} only when it leaves the recent window, and then in groups of {@code encodeGroup}
 * consecutive tokens (keys quantised per channel need a group). Plain codecs declare zeros and 1.
 *
 * @param bytesPerToken    bytes one token's keys and values take in a block, scales and zero points included
 * @param maxRelativeError declared bound on {@code ||decode(encode(x)) − x|| / ||x||} per token and head
 *                         (0 for lossless codecs)
 * @param sinkTokens       leading tokens kept in full precision
 * @param recentWindow     most recent tokens kept in full precision before encoding
 * @param encodeGroup      tokens encoded together (≥ 1; must divide the block size)
 * @param preRopeKeys      whether the codec wants keys before RoPE (the engine then applies RoPE after
 *                         decoding, from the slot's position)
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record KvCodecSpec(int bytesPerToken, double maxRelativeError, int sinkTokens, int recentWindow,
                          int encodeGroup, boolean preRopeKeys) {

    /**
     * Checks the declaration.
     *
     * @throws IllegalArgumentException when a size is not positive, the error negative or the group below 1
     */
    public KvCodecSpec {
        if (bytesPerToken <= 0 || maxRelativeError < 0 || sinkTokens < 0 || recentWindow < 0 || encodeGroup < 1) {
            throw new IllegalArgumentException("invalid codec spec: bytesPerToken " + bytesPerToken
                    + ", maxRelativeError " + maxRelativeError + ", sinkTokens " + sinkTokens + ", recentWindow "
                    + recentWindow + ", encodeGroup " + encodeGroup);
        }
    }

    /**
     * A codec that stores every token as it comes, with no windows.
     *
     * @param bytesPerToken    bytes per token, all heads, keys and values
     * @param maxRelativeError the declared bound on the round-trip error (0 when lossless)
     * @return the declaration
     */
    public static KvCodecSpec plain(int bytesPerToken, double maxRelativeError) {
        return new KvCodecSpec(bytesPerToken, maxRelativeError, 0, 0, 1, false);
    }

    /**
     * Bytes of one block of {@code blockSize} tokens.
     *
     * @param blockSize tokens per block
     * @return the bytes
     */
    public long blockBytes(int blockSize) {
        return (long) bytesPerToken * blockSize;
    }
}
