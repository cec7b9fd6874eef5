package dev.gantry.tck.kv;

/**
 * What a KV codec may do beyond the contract every codec keeps (round trips within the declared error, the
 * declared bytes per token are what it stores, fused reads agree with decoding, slots copy faithfully). A
 * plugin declares the behaviours it has; the kit checks each, and that an undeclared one is not claimed.
 */
public enum KVCodecBehavior {

    /** Stores keys and values exactly: it declares a maximum error of 0, and every round trip is bit-exact. */
    LOSSLESS,

    /**
     * Keeps a full-precision sink and recent window and encodes in groups (SKVQ, KIVI): its spec declares
     * {@code sinkTokens}, {@code recentWindow} or an {@code encodeGroup} above 1. Not declared: all three are
     * 0, 0 and 1. (The engine does not run such codecs yet; the kit checks their storage and round trips.)
     */
    MIXED_PRECISION_WINDOWS,

    /** Wants keys before RoPE ({@code preRopeKeys}). Not declared: its spec says {@code false}. */
    PRE_ROPE_KEYS,

    /**
     * Learns metadata from sample keys and values: {@code calibrate} returns a calibration under the codec's
     * name. Not declared: {@code calibrate} returns empty, without throwing.
     */
    CALIBRATES
}
