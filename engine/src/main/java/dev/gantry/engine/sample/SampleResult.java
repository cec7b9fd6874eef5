package dev.gantry.engine.sample;

/**
 * One chosen token and, when the request asked for them, its logprob and the most likely alternatives.
 *
 * <p>Logprobs are the log-softmax of the model's raw logits, before penalties, temperature and truncation
 * (vLLM's default {@code raw_logprobs}), so they describe the model, not the sampling settings.
 *
 * @param token        the chosen token id
 * @param logprob      its logprob; {@code NaN} when the request asked for no logprobs
 * @param topIds       the N most likely token ids, most likely first, lower id first on ties; empty when
 *                     none were asked for
 * @param topLogprobs  their logprobs, in the same order
 */
public record SampleResult(int token, float logprob, int[] topIds, float[] topLogprobs) {

    private static final int[] NO_IDS = {};
    private static final float[] NO_LOGPROBS = {};

    public SampleResult {
        if (topIds.length != topLogprobs.length) {
            throw new IllegalArgumentException("one logprob per top id: " + topIds.length + " ids, "
                    + topLogprobs.length + " logprobs");
        }
    }

    /** A token with no logprob information. */
    public static SampleResult of(int token) {
        return new SampleResult(token, Float.NaN, NO_IDS, NO_LOGPROBS);
    }

    /** Whether logprobs were computed for this token. */
    public boolean hasLogprobs() {
        return !Float.isNaN(logprob);
    }
}
