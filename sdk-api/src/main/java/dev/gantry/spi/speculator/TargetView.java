package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;
import dev.gantry.spi.ModelInfo;

/**
 * Read access to the target model's state for one sequence, for speculators that draft from it (Medusa and
 * Clover heads read the last hidden state and reuse the LM head; EAGLE continues from the accepted path's
 * hidden states). Valid only during {@link Speculator#propose}.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface TargetView {

    /** {@return the target model} */
    ModelInfo model();

    /**
     * Copies the hidden state of the last committed token (the one whose logits produced the pending token)
     * into {@code dst[dstOffset .. dstOffset+embeddingDim)}.
     *
     * @param stage     before or after the final RMSNorm
     * @param dst       where to write
     * @param dstOffset where in {@code dst} to start
     */
    void lastHidden(HiddenStage stage, float[] dst, int dstOffset);

    /**
     * Number of hidden states of the last step's accepted path that {@link #acceptedHidden} can return (1 after
     * plain decoding, accepted drafts + 1 after verification, 0 right after a recompute).
     *
     * @return the count
     */
    int acceptedHiddenCount();

    /**
     * Copies the hidden state of the {@code i}-th token of the last accepted path (0 = oldest).
     *
     * @param i         the token of the path, from 0
     * @param stage     before or after the final RMSNorm
     * @param dst       where to write
     * @param dstOffset where in {@code dst} to start
     */
    void acceptedHidden(int i, HiddenStage stage, float[] dst, int dstOffset);

    /** {@return the LM head (vocabulary × embeddingDim); the token embedding when the model ties them} */
    MatrixView lmHead();

    /** {@return the token embedding (vocabulary × embeddingDim)} */
    MatrixView tokenEmbedding();
}
