package dev.gantry.plugins.baseline.speculator;

import dev.gantry.spi.speculator.DraftTree;
import dev.gantry.spi.speculator.SpeculationContext;
import dev.gantry.spi.speculator.Speculator;
import dev.gantry.spi.speculator.TokenHistory;
import dev.gantry.spi.speculator.VerifyMode;

/**
 * Prompt lookup decoding: drafts by copying. The last {@code n} tokens of the sequence (committed tokens plus
 * the pending one) are searched for earlier in the sequence, trying {@code n = maxNgram} down to
 * {@code minNgram}; at the most recent earlier match, the tokens that followed it become a chain of up to
 * {@code draftTokens} drafts. Free to run and effective whenever the output repeats its input (summaries,
 * code edits, extraction). Stateless: it re-scans the history each step.
 *
 * <p>Drafts are deterministic proposals, so the engine verifies them exactly (greedy requests) or with
 * speculative sampling that treats each draft as proposed with probability one (sampled requests).
 */
public final class NgramSpeculator implements Speculator {

    private final int minNgram;
    private final int maxNgram;
    private final int draftTokens;

    public NgramSpeculator(int minNgram, int maxNgram, int draftTokens) {
        if (minNgram < 1 || maxNgram < minNgram || draftTokens < 1) {
            throw new IllegalArgumentException("n-gram sizes " + minNgram + ".." + maxNgram + " and " + draftTokens
                    + " draft tokens are not a valid configuration");
        }
        this.minNgram = minNgram;
        this.maxNgram = maxNgram;
        this.draftTokens = draftTokens;
    }

    @Override
    public String name() {
        return "ngram";
    }

    @Override
    public VerifyMode verifyMode() {
        return VerifyMode.SAMPLE_LOSSLESS;
    }

    @Override
    public int maxTreeSize() {
        return draftTokens + 1;
    }

    @Override
    public DraftTree propose(SpeculationContext context) {
        TokenHistory history = context.committed();
        int pending = context.pendingToken();
        int length = history.length() + 1; // the pending token is the sequence's last
        int budget = Math.min(draftTokens, context.maxTreeSize() - 1);
        if (budget < 1) {
            return DraftTree.rootOnly(pending);
        }
        for (int n = Math.min(maxNgram, length - 1); n >= minNgram; n--) {
            int match = lastEarlierMatch(history, pending, length, n);
            if (match >= 0) {
                int from = match + n;
                int count = Math.min(budget, length - from);
                int[] drafts = new int[count];
                for (int i = 0; i < count; i++) {
                    drafts[i] = tokenAt(history, pending, from + i);
                }
                return count == 0 ? DraftTree.rootOnly(pending) : DraftTree.chain(pending, drafts);
            }
        }
        return DraftTree.rootOnly(pending);
    }

    /** Start of the most recent occurrence of the final {@code n} tokens that ends before them, or -1. */
    private static int lastEarlierMatch(TokenHistory history, int pending, int length, int n) {
        int suffix = length - n;
        for (int start = suffix - 1; start >= 0; start--) {
            boolean equal = true;
            for (int i = 0; i < n && equal; i++) {
                equal = tokenAt(history, pending, start + i) == tokenAt(history, pending, suffix + i);
            }
            if (equal) {
                return start;
            }
        }
        return -1;
    }

    private static int tokenAt(TokenHistory history, int pending, int i) {
        return i < history.length() ? history.tokenAt(i) : pending;
    }
}
