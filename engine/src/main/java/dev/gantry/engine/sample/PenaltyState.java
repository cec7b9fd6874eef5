package dev.gantry.engine.sample;

import java.util.Arrays;

/**
 * What the repetition, presence and frequency penalties need to know about a sequence: which tokens its
 * prompt holds, and how often each token occurs in its output. Penalties then touch only the tokens seen,
 * not the whole vocabulary.
 */
final class PenaltyState {

    private static final byte IN_PROMPT = 1;
    private static final byte IN_OUTPUT = 2;

    private final float repetition;
    private final float presence;
    private final float frequency;
    private byte[] seen = new byte[0];
    private int[] outputCounts = new int[0];
    // The distinct tokens of prompt and output, so that applying penalties costs O(distinct), not O(vocab).
    private int[] distinct = new int[16];
    private int distinctCount;

    PenaltyState(SamplingParams params, int[] promptTokens) {
        this.repetition = params.repetitionPenalty();
        this.presence = params.presencePenalty();
        this.frequency = params.frequencyPenalty();
        for (int token : promptTokens) {
            mark(token, IN_PROMPT);
        }
    }

    void recordOutput(int token) {
        mark(token, IN_OUTPUT);
        outputCounts[token]++;
    }

    /**
     * Applies, to each token seen, the repetition penalty (prompt or output: divide a positive logit,
     * multiply a negative one) and then, to output tokens, {@code frequency · count + presence}.
     */
    void apply(float[] logits, int vocab) {
        for (int d = 0; d < distinctCount; d++) {
            int t = distinct[d];
            if (t >= vocab) {
                continue;
            }
            float l = logits[t];
            if (repetition != 1f) {
                l = l > 0 ? l / repetition : l * repetition;
            }
            if ((seen[t] & IN_OUTPUT) != 0) {
                l -= frequency * outputCounts[t] + presence;
            }
            logits[t] = l;
        }
    }

    private void mark(int token, byte flag) {
        if (token < 0) {
            throw new IllegalArgumentException("token ids are >= 0, was " + token);
        }
        if (token >= seen.length) {
            int size = Math.max(token + 1, seen.length * 2);
            seen = Arrays.copyOf(seen, size);
            outputCounts = Arrays.copyOf(outputCounts, size);
        }
        if (seen[token] == 0) {
            if (distinctCount == distinct.length) {
                distinct = Arrays.copyOf(distinct, distinct.length * 2);
            }
            distinct[distinctCount++] = token;
        }
        seen[token] |= flag;
    }
}
