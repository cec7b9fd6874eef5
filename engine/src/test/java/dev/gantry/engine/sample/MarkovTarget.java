package dev.gantry.engine.sample;

import dev.gantry.spi.speculator.DraftTree;

import java.util.SplittableRandom;

/**
 * A stand-in target model for verification tests: the logits after a token depend on that token alone, so the
 * logits of every tree node, and the exact distribution of what follows, are known without a real model.
 */
final class MarkovTarget {

    final int vocab;
    final float[][] next;

    MarkovTarget(int vocab, long seed, float spread) {
        this.vocab = vocab;
        this.next = new float[vocab][vocab];
        SplittableRandom r = new SplittableRandom(seed);
        for (int a = 0; a < vocab; a++) {
            for (int b = 0; b < vocab; b++) {
                next[a][b] = (float) ((r.nextDouble() * 2 - 1) * spread);
            }
        }
    }

    /** The logits of every node of the tree, node-major, as the target's forward pass would give them. */
    float[] logits(DraftTree tree) {
        float[] out = new float[tree.size() * vocab];
        for (int i = 0; i < tree.size(); i++) {
            System.arraycopy(next[tree.token(i)], 0, out, i * vocab, vocab);
        }
        return out;
    }

    /** softmax(next[token] / temperature), for the expected distributions. */
    double[] distributionAfter(int token, double temperature) {
        double[] p = new double[vocab];
        double max = Double.NEGATIVE_INFINITY;
        for (float l : next[token]) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (int b = 0; b < vocab; b++) {
            p[b] = Math.exp((next[token][b] - max) / temperature);
            sum += p[b];
        }
        for (int b = 0; b < vocab; b++) {
            p[b] /= sum;
        }
        return p;
    }
}
