package dev.gantry.engine.llama;

import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.AttentionCall;
import dev.gantry.spi.attention.AttentionMask;
import dev.gantry.spi.attention.AttentionPhase;
import dev.gantry.spi.attention.KvSequenceView;
import dev.gantry.spi.attention.LayerInfo;
import dev.gantry.spi.attention.StepState;

/**
 * The engine's reusable {@link AttentionCall}: the forward pass re-points its fields for every layer and
 * sequence instead of allocating a call object each time.
 */
final class LayerAttentionCall implements AttentionCall {

    LayerInfo layer;
    SequenceId sequence;
    AttentionPhase phase;
    int queryCount;
    int[] positions;
    int positionsOffset;
    float[] queries;
    int queriesOffset;
    float[] output;
    int outputOffset;
    KvSequenceView kv;
    AttentionMask mask;
    float scale;
    StepState stepState;
    int kvHeadStart;
    int kvHeadEnd;

    @Override
    public LayerInfo layer() {
        return layer;
    }

    @Override
    public SequenceId sequence() {
        return sequence;
    }

    @Override
    public AttentionPhase phase() {
        return phase;
    }

    @Override
    public int queryCount() {
        return queryCount;
    }

    @Override
    public int queryPosition(int i) {
        return positions[positionsOffset + i];
    }

    @Override
    public float[] queries() {
        return queries;
    }

    @Override
    public int queriesOffset() {
        return queriesOffset;
    }

    @Override
    public KvSequenceView kv() {
        return kv;
    }

    @Override
    public AttentionMask mask() {
        return mask;
    }

    @Override
    public float scale() {
        return scale;
    }

    @Override
    public float[] output() {
        return output;
    }

    @Override
    public int outputOffset() {
        return outputOffset;
    }

    @Override
    public StepState stepState() {
        return stepState;
    }

    @Override
    public int kvHeadStart() {
        return kvHeadStart;
    }

    @Override
    public int kvHeadEnd() {
        return kvHeadEnd;
    }
}
