package dev.gantry.spi.attention;

import dev.gantry.spi.Api;

/**
 * Which kind of forward a call belongs to, so backends can use different algorithms per phase (sparse
 * prefill in SampleAttention, sparse decode in MagicPIG and TidalDecode).
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public enum AttentionPhase {
    /** A chunk of prompt tokens, causally masked. */
    PREFILL,
    /** One new token per sequence. */
    DECODE,
    /** The nodes of a speculative draft tree, masked by the tree ({@link AttentionMask.Tree}). */
    VERIFY
}
