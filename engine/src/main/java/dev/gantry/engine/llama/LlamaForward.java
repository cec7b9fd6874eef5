package dev.gantry.engine.llama;

import dev.gantry.spi.SequenceId;

/**
 * What the iteration loop needs from a Llama forward pass: run one step's {@link ForwardBatch} over the paged
 * KV cache, hand back the logits of the rows that want them, and keep those rows' hidden states for
 * speculators. {@link ForwardPass} computes through {@link dev.gantry.engine.compute.Device} calls on host
 * arrays; a device that can keep weights, activations and KV resident offers its own through
 * {@link ResidentForwardSource}.
 *
 * <p>Called from the engine's loop thread only, one step at a time.
 */
public interface LlamaForward extends AutoCloseable {

    /** A batch sized for this forward pass: the step limits it was built for. */
    ForwardBatch newBatch();

    /** Vocabulary size: the width of one row of logits. */
    int vocabularySize();

    /**
     * Runs the batch: writes every row's keys and values into its sequence's slot (the slots the caller claimed
     * in the KV cache) and, for the rows that want them, logits into {@code logits[j × vocab ..]} where
     * {@code j} is the row's logit index.
     *
     * @param logits at least {@code batch.logitCount() × vocabularySize()} floats
     * @throws IllegalArgumentException when a token id is outside the vocabulary
     */
    void forward(ForwardBatch batch, float[] logits);

    /**
     * Copies the hidden state of logit row {@code j} of the last forward, before or after the final norm,
     * ({@code dim} floats) into {@code dst[dstOffset ..]}.
     */
    void hidden(int j, boolean postNorm, float[] dst, int dstOffset);

    /** Tells the attention backend that a sequence's prompt is fully prefilled. */
    void prefillDone(SequenceId sequence);

    /** How this forward computes, for logs ("per operation on cpu", "resident on cuda:0"). */
    String describe();

    /** Frees what the forward holds beyond the device and the cache (device buffers); nothing by default. */
    @Override
    default void close() {
    }
}
