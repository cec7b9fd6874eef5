package dev.gantry.engine.loop;

/**
 * Log-probabilities for one generated token: the chosen token's and the most likely alternatives'.
 *
 * @param token      the chosen token id
 * @param logprob    its log-probability under the model's raw distribution
 * @param topIds     the most likely token ids, descending
 * @param topLogprobs their log-probabilities
 */
public record TokenLogprob(int token, float logprob, int[] topIds, float[] topLogprobs) {
}
