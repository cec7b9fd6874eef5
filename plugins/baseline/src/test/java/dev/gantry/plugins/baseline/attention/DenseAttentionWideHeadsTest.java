package dev.gantry.plugins.baseline.attention;

import dev.gantry.plugins.baseline.attention.DenseAttentionTest.ArrayKv;
import dev.gantry.plugins.baseline.attention.DenseAttentionTest.Call;
import dev.gantry.spi.attention.AttentionMask;
import dev.gantry.spi.attention.LayerInfo;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Dense attention at a real model's head size (TinyLlama: 32 heads sharing 4 KV heads of 64), where its vector
 * kernels run, over more slots than one chunk (so the online softmax rescales), against the textbook
 * double-precision computation; also head sizes that leave a vector tail, and a group size the four-head kernels
 * do not divide.
 */
class DenseAttentionWideHeadsTest {

    @Test
    void matchesTextbookAttentionAcrossChunks() {
        check(32, 4, 64, 3 * DenseAttention.CHUNK + 17, 3);
        check(8, 2, 72, DenseAttention.CHUNK + 5, 2);
        // Six query heads per KV head (four in the group kernels, two alone) and a head that is not a whole
        // number of double lane-groups.
        check(12, 2, 48, DenseAttention.CHUNK + 9, 2);
    }

    static void check(int heads, int kvHeads, int dim, int slots, int queries) {
        SplittableRandom r = new SplittableRandom(dim);
        float[] k = DenseAttentionTest.random(r, slots * kvHeads * dim);
        float[] v = DenseAttentionTest.random(r, slots * kvHeads * dim);
        float[] q = DenseAttentionTest.random(r, queries * heads * dim);
        for (int i = 0; i < q.length; i++) {
            q[i] *= 4; // sharper softmax, so the running maximum moves between chunks
        }
        ArrayKv kv = new ArrayKv(k, v, slots, kvHeads, dim);
        LayerInfo layer = new LayerInfo(0, 1, heads, kvHeads, dim);
        int base = slots - queries;
        int[] parents = new int[queries];
        for (int i = 0; i < queries; i++) {
            parents[i] = i - 1;
        }
        parents[queries - 1] = 0;
        for (AttentionMask mask : new AttentionMask[] {new AttentionMask.Causal(base),
                new AttentionMask.Tree(base, parents)}) {
            float[] out = new float[queries * heads * dim];
            new DenseAttention().attend(new Call(layer, queries, q, kv, mask, out));
            for (int i = 0; i < queries; i++) {
                for (int h = 0; h < heads; h++) {
                    double[] expected = DenseAttentionTest.reference(q, (i * heads + h) * dim, kv,
                            h / (heads / kvHeads), mask, i, dim);
                    for (int d = 0; d < dim; d++) {
                        assertEquals(expected[d], out[(i * heads + h) * dim + d], 1e-5,
                                mask + " query " + i + " head " + h + " element " + d);
                    }
                }
            }
        }
    }
}
