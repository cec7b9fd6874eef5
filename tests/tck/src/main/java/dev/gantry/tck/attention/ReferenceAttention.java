package dev.gantry.tck.attention;

import dev.gantry.spi.attention.AttentionCall;
import dev.gantry.spi.attention.AttentionMask;
import dev.gantry.spi.attention.KvSequenceView;
import dev.gantry.spi.attention.LayerInfo;

/**
 * Dense softmax attention in double precision, straight from the definition: for each query and head, softmax
 * of {@code scale · q·k} over the visible slots, then the weighted sum of their values. Keys and values are
 * read through the call's view, so the reference sees exactly what the backend under test sees.
 */
final class ReferenceAttention {

    private ReferenceAttention() {
    }

    /**
     * The reference output of one call, in the call's layout from index 0 ({@code queryCount × heads × headDim}).
     */
    static double[] attend(AttentionCall call) {
        LayerInfo layer = call.layer();
        KvSequenceView kv = call.kv();
        AttentionMask mask = call.mask();
        int heads = layer.heads();
        int d = layer.headDim();
        double[] out = new double[call.queryCount() * heads * d];
        float[] key = new float[d];
        float[] value = new float[d];
        float[] q = call.queries();
        for (int i = 0; i < call.queryCount(); i++) {
            int end = Math.min(mask.end(i), kv.length());
            for (int h = 0; h < heads; h++) {
                int kvHead = layer.kvHeadOf(h);
                int qOff = call.queriesOffset() + (i * heads + h) * d;
                double[] scores = new double[end];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < end; s++) {
                    if (!mask.visible(i, s)) {
                        scores[s] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    kv.readKey(s, kvHead, key, 0);
                    double dot = 0;
                    for (int e = 0; e < d; e++) {
                        dot += (double) q[qOff + e] * key[e];
                    }
                    scores[s] = dot * call.scale();
                    max = Math.max(max, scores[s]);
                }
                double sum = 0;
                for (int s = 0; s < end; s++) {
                    scores[s] = scores[s] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(scores[s] - max);
                    sum += scores[s];
                }
                int oOff = (i * heads + h) * d;
                for (int s = 0; s < end; s++) {
                    if (scores[s] == 0) {
                        continue;
                    }
                    kv.readValue(s, kvHead, value, 0);
                    double w = scores[s] / sum;
                    for (int e = 0; e < d; e++) {
                        out[oOff + e] += w * value[e];
                    }
                }
            }
        }
        return out;
    }
}
