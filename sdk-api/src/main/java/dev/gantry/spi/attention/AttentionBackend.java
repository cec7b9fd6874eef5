package dev.gantry.spi.attention;

import dev.gantry.spi.Api;
import dev.gantry.spi.ReleaseReason;
import dev.gantry.spi.SequenceId;

/**
 * Computes attention for one layer over the paged KV cache, for prefill chunks, decode tokens and draft
 * trees alike. The engine writes the new tokens' keys and values through the KV codec (calling
 * {@link #onKvAppend} for each), then calls {@link #attend} once per sequence and layer.
 *
 * <p>How the papers map onto it: the baseline's dense backend computes softmax attention over every
 * visible slot; MagicPIG hashes keys into LSH tables in {@link #onKvAppend}, builds them in
 * {@link #onPrefillDone}, and in {@link #attend} samples the colliding keys with a {@code −log w} logit
 * correction; TidalDecode runs full attention in its selection layers, stores the top-k positions in the
 * {@link StepState}, and attends only to those in the layers that follow; SampleAttention, in the
 * {@link AttentionPhase#PREFILL} phase, attends to a local band plus the key columns its two-stage sampling
 * selects, skipping whole blocks; Quest and H2O keep per-block or per-token scores from the same hooks.
 *
 * <p>Threading: the engine may call {@link #attend} for different sequences from several threads at once,
 * and for one sequence strictly layer after layer. Per-sequence state must be keyed by sequence and is
 * released through {@link #release}. A backend that returns {@code true} from {@link #splitsByKvHead()} may
 * also be called for one sequence and layer from several threads at once, each call covering its own range
 * of KV heads, so that a single long sequence's attention uses every compute thread.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface AttentionBackend {

    /** {@return the backend's name, as selected by {@code gantry.attention}} */
    String name();

    /** {@return whether this backend is exact or how far it may be from dense attention} */
    Approximation approximation();

    /**
     * Whether {@link #attend} honours {@link AttentionCall#kvHeadStart()} and {@link AttentionCall#kvHeadEnd()}
     * and may run for disjoint head ranges of one sequence and layer concurrently (sharing that sequence's
     * {@link StepState}). The engine then splits a step's attention by KV head when it has fewer sequences
     * than compute threads. Default: {@code false}, every call covers the whole layer.
     *
     * @return whether calls may be split by KV head
     * @since 0.2
     */
    default boolean splitsByKvHead() {
        return false;
    }

    /**
     * Computes the call's output. Must write every element of the output range that belongs to the call's
     * heads (all of them unless the call was {@linkplain #splitsByKvHead() split}).
     *
     * @param call the layer, sequence, queries, KV and mask; valid only during this call
     */
    void attend(AttentionCall call);

    /**
     * Called after a token's key and value were stored, before any attention that sees them. The arrays are
     * the engine's buffers, valid only during the call. Default: nothing.
     *
     * @param layer     the layer
     * @param sequence  the sequence
     * @param slot      the slot written
     * @param position  the token's position
     * @param key       {@code kvHeads × headDim} key elements (after RoPE) from {@code offset}
     * @param value     {@code kvHeads × headDim} value elements from {@code offset}
     * @param offset    where this token's elements start in {@code key} and {@code value}
     */
    default void onKvAppend(LayerInfo layer, SequenceId sequence, int slot, int position, float[] key,
                            float[] value, int offset) {
    }

    /**
     * Called once per layer when a sequence's whole prompt has been prefilled. Default: nothing.
     *
     * @param layer    the layer
     * @param sequence the sequence
     */
    default void onPrefillDone(LayerInfo layer, SequenceId sequence) {
    }

    /**
     * Called when slots at and after {@code fromSlot} were discarded, so hooks can forget them. After verifying
     * a draft tree the engine discards every tree slot this way, keeps the accepted path's KV in path order,
     * and then calls {@link #onKvAppend} again for each kept slot, in order, with its stored key and value.
     * Default: nothing.
     *
     * @param sequence the sequence
     * @param fromSlot the first slot discarded
     */
    default void onKvTruncated(SequenceId sequence, int fromSlot) {
    }

    /**
     * Drops all state held for the sequence. Default: nothing.
     *
     * @param sequence the sequence
     * @param reason   why: finished, cancelled, preempted by recompute (the id returns) or migrated
     */
    default void release(SequenceId sequence, ReleaseReason reason) {
    }
}
