package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;
import dev.gantry.spi.ReleaseReason;
import dev.gantry.spi.SequenceId;

/**
 * Proposes a token tree per running sequence each step; the engine verifies it against the target model in
 * one forward pass with a tree attention mask, keeps the accepted path's KV, and reports the path back.
 *
 * <p>How the papers map onto it: the baseline's no-op speculator returns {@link DraftTree#rootOnly} (plain
 * decoding); Medusa's heads read {@link TargetView#lastHidden post-norm hidden state}, share the
 * {@link TargetView#lmHead LM head} and expand a fixed tree of top-k choices, verified
 * {@link VerifyMode#TYPICAL_LOSSY typically} or greedily; Clover and Clover-2 add a regressive attention block
 * over the pre-norm hidden state and the drafted tokens; Sequoia runs a {@link DraftRunner draft model} over a
 * tree shaped by its dynamic program from an acceptance-rate table and verifies
 * {@link VerifyMode#SAMPLE_LOSSLESS losslessly}; SpecExec grows the most likely tree with the draft model and
 * verifies with {@link VerifyMode#SAMPLE_FOLLOW_TARGET}; n-gram prompt lookup drafts the continuation of the
 * longest earlier match of the recent tokens in {@link SpeculationContext#committed()}.
 *
 * <p>Threading: {@link #propose} may run for different sequences on several threads at once; for one
 * sequence, calls are strictly ordered {@code propose → onVerified}. Per-sequence state is keyed by sequence
 * and dropped in {@link #release}.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface Speculator {

    /** {@return the speculator's name, as selected by {@code gantry.speculator}} */
    String name();

    /** {@return how the engine must verify this speculator's trees} */
    VerifyMode verifyMode();

    /** {@return the largest tree (nodes, root included) this speculator proposes} */
    int maxTreeSize();

    /**
     * A tree rooted at {@link SpeculationContext#pendingToken()} with at most
     * {@link SpeculationContext#maxTreeSize()} nodes. Return {@link DraftTree#rootOnly} to skip speculation.
     *
     * @param context what the speculator may read; valid only during this call
     * @return the tree; never null
     */
    DraftTree propose(SpeculationContext context);

    /**
     * The verification result of the tree last proposed for {@code sequence}. Default: nothing.
     *
     * @param sequence the sequence
     * @param result   the accepted path and the new pending token
     */
    default void onVerified(SequenceId sequence, VerifyResult result) {
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
