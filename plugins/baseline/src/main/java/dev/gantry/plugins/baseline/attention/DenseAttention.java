package dev.gantry.plugins.baseline.attention;

import dev.gantry.spi.attention.Approximation;
import dev.gantry.spi.attention.AttentionBackend;
import dev.gantry.spi.attention.AttentionCall;
import dev.gantry.spi.attention.AttentionMask;
import dev.gantry.spi.attention.KvSequenceView;
import dev.gantry.spi.attention.LayerInfo;

/**
 * Exact softmax attention over every visible slot: the reference every other backend is measured against.
 *
 * <p>For each query and head: scores {@code s_j = scale · q·k_j} over the visible slots, a max-subtracted
 * softmax, then {@code Σ p_j v_j}. Keys and values are read through the codec slot by slot. Scores go to a
 * per-thread buffer that grows with the context, so steady-state decoding allocates nothing.
 */
public final class DenseAttention implements AttentionBackend {

    private static final ThreadLocal<float[]> SCORES = ThreadLocal.withInitial(() -> new float[256]);

    @Override
    public String name() {
        return "dense";
    }

    @Override
    public Approximation approximation() {
        return Approximation.EXACT;
    }

    @Override
    public void attend(AttentionCall call) {
        LayerInfo layer = call.layer();
        KvSequenceView kv = call.kv();
        AttentionMask mask = call.mask();
        int heads = layer.heads();
        int headDim = layer.headDim();
        float scale = call.scale();
        float[] q = call.queries();
        float[] out = call.output();
        boolean causal = mask instanceof AttentionMask.Causal;
        float[] scores = scratch(kv.length());
        for (int i = 0; i < call.queryCount(); i++) {
            int end = mask.end(i);
            for (int h = 0; h < heads; h++) {
                int kvHead = layer.kvHeadOf(h);
                int qOff = call.queriesOffset() + (i * heads + h) * headDim;
                int oOff = call.outputOffset() + (i * heads + h) * headDim;
                float max = Float.NEGATIVE_INFINITY;
                for (int s = 0; s < end; s++) {
                    if (causal || mask.visible(i, s)) {
                        float score = kv.dotKey(s, kvHead, q, qOff) * scale;
                        scores[s] = score;
                        max = Math.max(max, score);
                    } else {
                        scores[s] = Float.NEGATIVE_INFINITY;
                    }
                }
                float sum = 0f;
                for (int s = 0; s < end; s++) {
                    float e = scores[s] == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(scores[s] - max);
                    scores[s] = e;
                    sum += e;
                }
                java.util.Arrays.fill(out, oOff, oOff + headDim, 0f);
                float inv = 1f / sum;
                for (int s = 0; s < end; s++) {
                    if (scores[s] != 0f) {
                        kv.accumulateValue(s, kvHead, scores[s] * inv, out, oOff);
                    }
                }
            }
        }
    }

    private static float[] scratch(int size) {
        float[] b = SCORES.get();
        if (b.length < size) {
            b = new float[Math.max(size, b.length * 2)];
            SCORES.set(b);
        }
        return b;
    }
}
