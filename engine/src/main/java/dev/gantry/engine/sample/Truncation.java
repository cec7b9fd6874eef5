package dev.gantry.engine.sample;

import java.util.Arrays;

/**
 * Min-p, top-k and top-p, applied in that order (vLLM's) to temperature-scaled weights: each keeps the
 * tokens it keeps and leaves the survivors' relative weights alone, so the later filters see the
 * distribution renormalised over what the earlier ones kept.
 */
final class Truncation {

    private Truncation() {
    }

    /**
     * Zeroes the weights of the tokens the filters drop and returns the sum of the rest.
     *
     * @param logits  the processed logits, which give the ranking (the weights are a monotone function of
     *                them, and ranking on them keeps ties exact)
     * @param weights unnormalised probabilities, modified in place
     * @param sum     the current sum of {@code weights[0..vocab)}
     * @param keys    scratch of at least {@code vocab} entries
     */
    static double apply(SamplingParams params, float[] logits, double[] weights, int vocab, double sum, long[] keys) {
        if (params.minP() > 0) {
            sum = minP(params.minP(), weights, vocab);
        }
        boolean topK = params.topK() > 0;
        boolean topP = params.topP() < 1f;
        if (!topK && !topP) {
            return sum;
        }
        int n = 0;
        for (int i = 0; i < vocab; i++) {
            if (weights[i] > 0) {
                keys[n++] = TokenRanking.key(logits[i], i);
            }
        }
        int kept = n;
        if (topK && params.topK() < n) {
            kept = params.topK();
            TokenRanking.selectBest(keys, n, kept);
            for (int j = kept; j < n; j++) {
                weights[TokenRanking.id(keys[j])] = 0;
            }
        }
        if (!topP) {
            return sumOf(keys, kept, weights);
        }
        Arrays.sort(keys, 0, kept);
        double keptSum = sumOf(keys, kept, weights);
        // Keep a token while the mass ranked above it is still short of p: the smallest set reaching p.
        double target = params.topP() * keptSum;
        double above = 0;
        int j = 0;
        while (j < kept && above < target) {
            above += weights[TokenRanking.id(keys[j])];
            j++;
        }
        for (int r = j; r < kept; r++) {
            weights[TokenRanking.id(keys[r])] = 0;
        }
        return above;
    }

    private static double minP(float minP, double[] weights, int vocab) {
        double max = 0;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, weights[i]);
        }
        double threshold = minP * max;
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            if (weights[i] < threshold) {
                weights[i] = 0;
            }
            sum += weights[i];
        }
        return sum;
    }

    private static double sumOf(long[] keys, int n, double[] weights) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += weights[TokenRanking.id(keys[j])];
        }
        return sum;
    }
}
