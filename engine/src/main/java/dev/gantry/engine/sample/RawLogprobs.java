package dev.gantry.engine.sample;

import java.util.Arrays;

/**
 * Logprobs as the API reports them: the log-softmax of the raw logits of one position (vLLM's default
 * {@code raw_logprobs}), for the chosen token and the N most likely ones. Computed in double precision
 * with the maximum subtracted.
 */
final class RawLogprobs {

    private RawLogprobs() {
    }

    /**
     * The result for {@code token} with its logprob and the top {@code n} (clamped to the vocabulary).
     *
     * @param keys scratch of at least {@code vocab} entries, used only when {@code n > 0}
     */
    static SampleResult describe(float[] logits, int offset, int vocab, int token, int n, long[] keys) {
        double logSum = logSumExp(logits, offset, vocab);
        float chosen = (float) (logits[offset + token] - logSum);
        int count = Math.min(n, vocab);
        int[] ids = new int[count];
        float[] logprobs = new float[count];
        if (count > 0) {
            for (int i = 0; i < vocab; i++) {
                keys[i] = TokenRanking.key(logits[offset + i], i);
            }
            TokenRanking.selectBest(keys, vocab, count);
            Arrays.sort(keys, 0, count);
            for (int r = 0; r < count; r++) {
                int id = TokenRanking.id(keys[r]);
                ids[r] = id;
                logprobs[r] = (float) (logits[offset + id] - logSum);
            }
        }
        return new SampleResult(token, chosen, ids, logprobs);
    }

    private static double logSumExp(float[] logits, int offset, int vocab) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        return max + Math.log(sum);
    }
}
