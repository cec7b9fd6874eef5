package dev.gantry.plugins.baseline.attention;

import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.AttentionCall;
import dev.gantry.spi.attention.AttentionMask;
import dev.gantry.spi.attention.AttentionPhase;
import dev.gantry.spi.attention.KvSequenceView;
import dev.gantry.spi.attention.LayerInfo;
import dev.gantry.spi.attention.StepState;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Dense attention against a textbook double-precision computation, for causal and tree masks with GQA. */
class DenseAttentionTest {

    /** Keys and values in plain arrays: [slot][kvHead][dim]. */
    record ArrayKv(float[] k, float[] v, int slots, int kvHeads, int dim) implements KvSequenceView {
        public int length() {
            return slots;
        }

        public int blockSize() {
            return 16;
        }

        public int position(int slot) {
            return slot;
        }

        int at(int slot, int head) {
            return (slot * kvHeads + head) * dim;
        }

        public float dotKey(int slot, int kvHead, float[] q, int qOffset) {
            float s = 0;
            for (int i = 0; i < dim; i++) {
                s += q[qOffset + i] * k[at(slot, kvHead) + i];
            }
            return s;
        }

        public void accumulateValue(int slot, int kvHead, float weight, float[] acc, int accOffset) {
            for (int i = 0; i < dim; i++) {
                acc[accOffset + i] += weight * v[at(slot, kvHead) + i];
            }
        }

        public void readKey(int slot, int kvHead, float[] dst, int off) {
            System.arraycopy(k, at(slot, kvHead), dst, off, dim);
        }

        public void readValue(int slot, int kvHead, float[] dst, int off) {
            System.arraycopy(v, at(slot, kvHead), dst, off, dim);
        }
    }

    record Call(LayerInfo layer, int queryCount, float[] queries, KvSequenceView kv, AttentionMask mask,
                float[] output) implements AttentionCall {
        public SequenceId sequence() {
            return new SequenceId(1);
        }

        public AttentionPhase phase() {
            return AttentionPhase.PREFILL;
        }

        public int queryPosition(int i) {
            return i;
        }

        public int queriesOffset() {
            return 0;
        }

        public float scale() {
            return layer.scale();
        }

        public int outputOffset() {
            return 0;
        }

        public StepState stepState() {
            return null;
        }
    }

    /** {@link Call} restricted to KV heads {@code [from, to)}, as the engine splits one sequence's call. */
    record SplitCall(Call whole, int from, int to) implements AttentionCall {
        public LayerInfo layer() {
            return whole.layer();
        }

        public SequenceId sequence() {
            return whole.sequence();
        }

        public AttentionPhase phase() {
            return whole.phase();
        }

        public int queryCount() {
            return whole.queryCount();
        }

        public int queryPosition(int i) {
            return whole.queryPosition(i);
        }

        public float[] queries() {
            return whole.queries();
        }

        public int queriesOffset() {
            return 0;
        }

        public KvSequenceView kv() {
            return whole.kv();
        }

        public AttentionMask mask() {
            return whole.mask();
        }

        public float scale() {
            return whole.scale();
        }

        public float[] output() {
            return whole.output();
        }

        public int outputOffset() {
            return 0;
        }

        public StepState stepState() {
            return null;
        }

        public int kvHeadStart() {
            return from;
        }

        public int kvHeadEnd() {
            return to;
        }
    }

    @Test
    void splitCallsWriteOnlyTheirHeadsAndTogetherEqualTheWholeCall() throws InterruptedException {
        int heads = 8, kvHeads = 4, dim = 16, slots = 300, queries = 3;
        SplittableRandom r = new SplittableRandom(7);
        ArrayKv kv = new ArrayKv(random(r, slots * kvHeads * dim), random(r, slots * kvHeads * dim), slots, kvHeads,
                dim);
        float[] q = random(r, queries * heads * dim);
        LayerInfo layer = new LayerInfo(0, 1, heads, kvHeads, dim);
        AttentionMask mask = new AttentionMask.Causal(slots - queries);
        DenseAttention dense = new DenseAttention();
        float[] whole = new float[queries * heads * dim];
        dense.attend(new Call(layer, queries, q, kv, mask, whole));

        float[] split = new float[whole.length];
        java.util.Arrays.fill(split, Float.NaN);
        Call target = new Call(layer, queries, q, kv, mask, split);
        // KV head 1 alone first: the other heads' output stays untouched.
        dense.attend(new SplitCall(target, 1, 2));
        int group = heads / kvHeads;
        for (int i = 0; i < queries; i++) {
            for (int h = 0; h < heads; h++) {
                boolean mine = h / group == 1;
                int o = (i * heads + h) * dim;
                assertEquals(mine, !Float.isNaN(split[o]), "query " + i + " head " + h + " written: " + !mine);
            }
        }
        // The rest on two threads at once, as the engine runs the parts.
        Thread a = Thread.ofPlatform().start(() -> dense.attend(new SplitCall(target, 0, 1)));
        Thread b = Thread.ofPlatform().start(() -> dense.attend(new SplitCall(target, 2, 4)));
        a.join();
        b.join();
        org.junit.jupiter.api.Assertions.assertArrayEquals(whole, split, "split calls against the whole call");
        assertEquals(true, dense.splitsByKvHead());
    }

    @Test
    void matchesTextbookAttentionForCausalAndTreeMasks() {
        int heads = 8, kvHeads = 2, dim = 6, slots = 11, queries = 4;
        SplittableRandom r = new SplittableRandom(1);
        float[] k = random(r, slots * kvHeads * dim);
        float[] v = random(r, slots * kvHeads * dim);
        float[] q = random(r, queries * heads * dim);
        ArrayKv kv = new ArrayKv(k, v, slots, kvHeads, dim);
        LayerInfo layer = new LayerInfo(0, 1, heads, kvHeads, dim);
        for (AttentionMask mask : new AttentionMask[] {new AttentionMask.Causal(7),
                new AttentionMask.Tree(7, new int[] {-1, 0, 0, 1})}) {
            float[] out = new float[queries * heads * dim];
            new DenseAttention().attend(new Call(layer, queries, q, kv, mask, out));
            for (int i = 0; i < queries; i++) {
                for (int h = 0; h < heads; h++) {
                    double[] expected = reference(q, (i * heads + h) * dim, kv, h / (heads / kvHeads), mask, i, dim);
                    for (int d = 0; d < dim; d++) {
                        assertEquals(expected[d], out[(i * heads + h) * dim + d], 1e-5,
                                mask + " query " + i + " head " + h);
                    }
                }
            }
        }
    }

    static double[] reference(float[] q, int qOff, ArrayKv kv, int kvHead, AttentionMask mask, int query, int dim) {
        double[] scores = new double[kv.slots()];
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < kv.slots(); s++) {
            if (!mask.visible(query, s)) {
                scores[s] = Double.NaN;
                continue;
            }
            double dot = 0;
            for (int d = 0; d < dim; d++) {
                dot += (double) q[qOff + d] * kv.k()[kv.at(s, kvHead) + d];
            }
            scores[s] = dot / Math.sqrt(dim);
            max = Math.max(max, scores[s]);
        }
        double sum = 0;
        double[] out = new double[dim];
        for (int s = 0; s < kv.slots(); s++) {
            if (!Double.isNaN(scores[s])) {
                sum += Math.exp(scores[s] - max);
            }
        }
        for (int s = 0; s < kv.slots(); s++) {
            if (!Double.isNaN(scores[s])) {
                double p = Math.exp(scores[s] - max) / sum;
                for (int d = 0; d < dim; d++) {
                    out[d] += p * kv.v()[kv.at(s, kvHead) + d];
                }
            }
        }
        return out;
    }

    static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }
}
