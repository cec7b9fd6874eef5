package dev.gantry.engine.sample;

/**
 * Decides, token by token, whether a sequence ends and why, with vLLM's rules, and which text may be streamed.
 *
 * <p>In order, for the token that makes {@code generated} output tokens:
 * <ol>
 * <li>nothing stops a sequence before {@code min_tokens} tokens: while {@code generated ≤ min_tokens} the
 * token's text is emitted as is and no stop is looked for (the sampler suppresses EOS and stop token ids for
 * those tokens);</li>
 * <li>EOS (unless {@code ignore_eos}) → {@link FinishReason#STOP};</li>
 * <li>a stop token id → {@link FinishReason#STOP}, reported with the id;</li>
 * <li>a stop string completed by this token's text → {@link FinishReason#STOP}, reported with the string;
 * the text before it is emitted, the string and what follows are not;</li>
 * <li>{@code generated ≥ max_tokens} → {@link FinishReason#LENGTH}.</li>
 * </ol>
 * The text of a stopping EOS or stop token is not emitted (vLLM's default); text held back for a possible
 * stop string is released whenever the sequence finishes without one.
 *
 * <p>Not thread-safe: one per sequence.
 */
public final class StopChecker {

    /**
     * What one token did.
     *
     * @param text         text that may be streamed now (possibly empty)
     * @param finishReason why the sequence ends, or null when it goes on
     * @param stopString   the stop string that ended it, or null
     * @param stopTokenId  the stop token id that ended it, or -1 (also -1 for EOS, as vLLM reports)
     */
    public record Decision(String text, FinishReason finishReason, String stopString, int stopTokenId) {

        /** Whether the sequence ends with this token. */
        public boolean finished() {
            return finishReason != null;
        }
    }

    private final SamplingParams params;
    private final int[] eosTokenIds;
    private final int[] stopTokenIds;
    private final StopStringMatcher matcher;

    /** A checker for one sequence; {@code eosTokenIds} are the model's end-of-generation ids. */
    public StopChecker(SamplingParams params, int[] eosTokenIds) {
        this.params = params;
        this.eosTokenIds = params.ignoreEos() ? new int[0] : eosTokenIds.clone();
        this.stopTokenIds = params.stopTokenIds().stream().mapToInt(Integer::intValue).toArray();
        this.matcher = params.stop().isEmpty() ? null : new StopStringMatcher(params.stop());
    }

    /**
     * Checks one new output token.
     *
     * @param token     the token
     * @param textDelta its text, as a streaming decoder gave it (whole characters, possibly empty)
     * @param generated the number of output tokens, this one included
     */
    public Decision check(int token, String textDelta, int generated) {
        boolean mayStop = generated > params.minTokens();
        if (mayStop && contains(eosTokenIds, token)) {
            return new Decision(flush(), FinishReason.STOP, null, -1);
        }
        if (mayStop && contains(stopTokenIds, token)) {
            return new Decision(flush(), FinishReason.STOP, null, token);
        }
        String text = textDelta;
        if (mayStop && matcher != null) {
            StopStringMatcher.Emission e = matcher.feed(textDelta);
            if (e.stopped()) {
                return new Decision(e.text(), FinishReason.STOP, e.stopString(), -1);
            }
            text = e.text();
        }
        if (generated >= params.maxTokens()) {
            return new Decision(text + flush(), FinishReason.LENGTH, null, -1);
        }
        return new Decision(text, null, null, -1);
    }

    /** The text held back for a possible stop string; call it when the sequence ends for an outside reason. */
    public String flush() {
        return matcher == null ? "" : matcher.flush();
    }

    private static boolean contains(int[] ids, int token) {
        for (int id : ids) {
            if (id == token) {
                return true;
            }
        }
        return false;
    }
}
