package dev.gantry.engine.loop;

import dev.gantry.spi.ModelInfo;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.speculator.HiddenStage;
import dev.gantry.spi.speculator.MatrixView;
import dev.gantry.spi.speculator.SamplingView;
import dev.gantry.spi.speculator.SpeculationContext;
import dev.gantry.spi.speculator.TargetView;
import dev.gantry.spi.speculator.TokenHistory;

/**
 * What a speculator sees of one sequence: its committed tokens, its pending token, its sampling settings and
 * the target model's hidden states and matrices. Re-pointed at each sequence in turn; valid during
 * {@code propose} only.
 */
final class SequenceSpeculationContext implements SpeculationContext, TokenHistory, TargetView {

    private final ModelInfo model;
    private final MatrixView lmHead;
    private final MatrixView embedding;
    private LiveSequence sequence;
    private int maxTreeSize;

    SequenceSpeculationContext(ModelInfo model, MatrixView lmHead, MatrixView embedding) {
        this.model = model;
        this.lmHead = lmHead;
        this.embedding = embedding;
    }

    SequenceSpeculationContext bind(LiveSequence s, int maxTreeSize) {
        this.sequence = s;
        this.maxTreeSize = maxTreeSize;
        return this;
    }

    // SpeculationContext

    @Override
    public SequenceId sequence() {
        return sequence.id;
    }

    @Override
    public TokenHistory committed() {
        return this;
    }

    @Override
    public int pendingToken() {
        return sequence.pending();
    }

    @Override
    public int maxTreeSize() {
        return maxTreeSize;
    }

    @Override
    public SamplingView sampling() {
        var p = sequence.request.sampling();
        return new SamplingView(p.temperature(), p.topP(), Math.max(0, p.topK()));
    }

    @Override
    public TargetView target() {
        return this;
    }

    // TokenHistory

    @Override
    public int length() {
        return sequence.committed();
    }

    @Override
    public int tokenAt(int i) {
        if (i < 0 || i >= length()) {
            throw new IndexOutOfBoundsException("token " + i + " of " + length() + " committed tokens");
        }
        return sequence.tokenAt(i);
    }

    @Override
    public int promptLength() {
        return sequence.prompt.length;
    }

    // TargetView

    @Override
    public ModelInfo model() {
        return model;
    }

    @Override
    public void lastHidden(HiddenStage stage, float[] dst, int dstOffset) {
        if (sequence.hiddenCount == 0) {
            throw new IllegalStateException(sequence.id + " has no hidden state yet (just recomputed)");
        }
        acceptedHidden(sequence.hiddenCount - 1, stage, dst, dstOffset);
    }

    @Override
    public int acceptedHiddenCount() {
        return sequence.hiddenCount;
    }

    @Override
    public void acceptedHidden(int i, HiddenStage stage, float[] dst, int dstOffset) {
        if (i < 0 || i >= sequence.hiddenCount) {
            throw new IndexOutOfBoundsException("hidden state " + i + " of " + sequence.hiddenCount);
        }
        float[] src = stage == HiddenStage.POST_NORM ? sequence.hiddenPostNorm : sequence.hiddenPreNorm;
        int dim = model.embeddingDim();
        System.arraycopy(src, i * dim, dst, dstOffset, dim);
    }

    @Override
    public MatrixView lmHead() {
        return lmHead;
    }

    @Override
    public MatrixView tokenEmbedding() {
        return embedding;
    }
}
