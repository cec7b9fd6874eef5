package dev.gantry.engine.sample;

import dev.gantry.spi.speculator.DraftTree;
import dev.gantry.spi.speculator.VerifyMode;
import dev.gantry.spi.speculator.VerifyResult;

import java.util.Arrays;

/**
 * Decides which path of a speculator's draft tree the target model accepts, and the next pending token, so
 * that speculation never changes what a request would have produced: greedy output token for token, sampled
 * output in distribution.
 *
 * <p>Inputs: the tree (node 0 is the pending token, already accepted into the sampler's history), the
 * target's logits for every node, node-major with {@code vocab} floats each, where the logits of node i
 * predict the token after node i; and the sequence's {@link SequenceSampler}, whose processing (minimum
 * length, penalties, temperature, min-p, top-k, top-p) defines the target distribution at every node.
 *
 * <p>The walk goes from the root down one path, and each accepted token is passed to
 * {@link SequenceSampler#accept} before the next node is processed. So the history seen at node i is the
 * committed output plus node i's ancestors and node i itself, exactly what plain decoding would have seen:
 * penalties and {@code min_tokens} are path-aware with no extra work, because only nodes on the accepted path
 * are ever processed. The new pending token is accepted too, so after a call the sampler is where it would be
 * after sampling that token. Stop conditions are not looked at here: the caller runs the committed tokens
 * through its {@link StopChecker} in order and drops any after a stop.
 *
 * <p>Modes:
 * <ul>
 * <li>{@link VerifyMode#GREEDY_EXACT}: at each node take the processed argmax (lowest id on ties) and follow
 * the child holding it; the output equals greedy decoding. For a request that samples (temperature above 0)
 * greedy acceptance would change its distribution, so such requests are verified as
 * {@link VerifyMode#SAMPLE_FOLLOW_TARGET}, which reduces to greedy at temperature 0.</li>
 * <li>{@link VerifyMode#SAMPLE_LOSSLESS}: multi-candidate speculative sampling with residual resampling
 * (SpecInfer, Sequoia). At node i with target p and children c1..ck, in index order, drawn from q =
 * {@code draftProbabilities[i]}: accept child token x with probability min(1, p(x)/q(x)); after a rejection
 * p ← norm(max(0, p − q)), then x is removed from q and q renormalised (Sequoia's update), and a child whose
 * token the current q cannot draw (a repeat) is skipped. This one rule is exact whether the speculator drew
 * the children without replacement (Sequoia, Gumbel-top-k) or independently with repeats (SpecInfer): the
 * first occurrences of an independent sequence are a draw without replacement. It is not exact for children
 * chosen deterministically (top-k of q) while q is given: such a speculator must pass no q. With no q the
 * children are fixed proposals (q a point mass on each): accept with probability p(x), else p ← p without x,
 * renormalised. If no child is accepted the next pending token is drawn from the final p.</li>
 * <li>{@link VerifyMode#SAMPLE_FOLLOW_TARGET} (SpecExec): draw from the target at each node and follow the
 * child holding the draw; the first draw with no such child is the next pending token.</li>
 * <li>{@link VerifyMode#TYPICAL_LOSSY} is not implemented yet and throws.</li>
 * </ul>
 *
 * <p>A root-only tree gives the same token, from the same random numbers, as {@link SequenceSampler#sample}.
 * A seeded request repeats under the same trees; with speculation its tokens differ from the unspeculated run
 * of the same seed (the random numbers are used differently) while keeping the same distribution.
 *
 * <p>{@link VerifyResult#targetProbabilities()} holds, for each accepted draft, the target's probability of
 * its token at its parent: for a sampling request, under the processed target distribution; for a greedy
 * request (whose target distribution is a point mass) the softmax of the processed logits, which says how
 * confident the target was.
 *
 * <p>Holds scratch arrays; not thread-safe: one per thread.
 */
public final class TreeVerifier {

    // Residual mass below this is rounding noise: exact arithmetic never rejects when p ≤ q everywhere.
    private static final double DEGENERATE_MASS = 1e-12;

    private int[] firstChild = new int[0];
    private int[] nextSibling = new int[0];
    private int[] path = new int[0];
    private float[] pathProbabilities = new float[0];
    private double[] candidateProbability = new double[0];
    private double[] target = new double[0];
    private double[] draft = new double[0];
    private long degenerateResiduals;

    // Out-values of one step: the probability of the child accepted, or the new pending token.
    private float acceptedProbability;
    private int pendingToken;

    /**
     * Verifies {@code tree} against the target's logits, {@code logits[offset + i·vocab .. offset +
     * (i+1)·vocab)} for node i, commits the accepted tokens and the new pending token to {@code sampler}, and
     * says what was accepted.
     *
     * @throws UnsupportedOperationException for {@link VerifyMode#TYPICAL_LOSSY}
     * @throws IllegalArgumentException      when the logits do not cover the tree, a token is outside the
     *                                       vocabulary, or draft probabilities are malformed
     */
    public VerifyResult verify(DraftTree tree, float[] logits, int offset, int vocab, SequenceSampler sampler,
            VerifyMode mode) {
        if (mode == VerifyMode.TYPICAL_LOSSY) {
            throw new UnsupportedOperationException("TYPICAL_LOSSY verification is not implemented yet; "
                    + "use GREEDY_EXACT, SAMPLE_LOSSLESS or SAMPLE_FOLLOW_TARGET");
        }
        int n = tree.size();
        if (vocab <= 0 || offset < 0 || offset + (long) n * vocab > logits.length) {
            throw new IllegalArgumentException("logits of " + logits.length + " floats from offset " + offset
                    + " do not hold " + n + " nodes of " + vocab);
        }
        VerifyMode effective = mode == VerifyMode.GREEDY_EXACT && !sampler.params().isGreedy()
                ? VerifyMode.SAMPLE_FOLLOW_TARGET : mode;
        prepare(tree, vocab);
        int length = 0;
        path[length] = 0;
        pathProbabilities[length++] = Float.NaN;
        int node = 0;
        while (true) {
            float[] processed = sampler.processed(logits, offset + node * vocab, vocab);
            int child = switch (effective) {
                case GREEDY_EXACT -> greedyStep(tree, node, processed, vocab);
                case SAMPLE_FOLLOW_TARGET -> followTargetStep(tree, node, processed, vocab, sampler);
                case SAMPLE_LOSSLESS -> losslessStep(tree, node, processed, vocab, sampler);
                case TYPICAL_LOSSY -> throw new AssertionError("refused above");
            };
            if (child < 0) {
                break;
            }
            sampler.accept(tree.token(child));
            path[length] = child;
            pathProbabilities[length++] = acceptedProbability;
            node = child;
        }
        sampler.accept(pendingToken);
        return new VerifyResult(Arrays.copyOf(path, length), pendingToken, Arrays.copyOf(pathProbabilities, length));
    }

    /**
     * How many times a residual came out with no mass (floating-point rounding; probability zero in exact
     * arithmetic) and the last non-degenerate distribution, without the rejected token, was used instead.
     */
    public long degenerateResiduals() {
        return degenerateResiduals;
    }

    private int greedyStep(DraftTree tree, int node, float[] processed, int vocab) {
        int best = GreedySampler.argmax(processed, vocab);
        int child = childWithToken(tree, node, best);
        if (child < 0) {
            pendingToken = best;
            return -1;
        }
        acceptedProbability = softmaxAt(processed, vocab, best);
        return child;
    }

    /**
     * The softmax of the processed logits at {@code token}: what a greedy request reports for an accepted
     * draft, since its target distribution is a point mass that says nothing about the target's confidence.
     */
    private static float softmaxAt(float[] processed, int vocab, int token) {
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp((double) processed[i] - processed[token]);
        }
        return (float) (1 / sum);
    }

    private int followTargetStep(DraftTree tree, int node, float[] processed, int vocab, SequenceSampler sampler) {
        double sum = sampler.weights(processed, vocab, target);
        int drawn = sampler.draw(target, vocab, sum);
        int child = childWithToken(tree, node, drawn);
        if (child < 0) {
            pendingToken = drawn;
            return -1;
        }
        acceptedProbability = sampler.params().isGreedy() ? softmaxAt(processed, vocab, drawn)
                : (float) (target[drawn] / sum);
        return child;
    }

    private int losslessStep(DraftTree tree, int node, float[] processed, int vocab, SequenceSampler sampler) {
        double sum = sampler.weights(processed, vocab, target);
        if (firstChild[node] < 0) {
            // A leaf: a plain draw, with the same arithmetic as SequenceSampler.sample.
            pendingToken = sampler.draw(target, vocab, sum);
            return -1;
        }
        scale(target, vocab, 1 / sum);
        // The target's own probabilities of the candidates, before any residual, for the result.
        for (int c = firstChild[node]; c >= 0; c = nextSibling[c]) {
            checkToken(tree.token(c), vocab, c);
            candidateProbability[c] = target[tree.token(c)];
        }
        boolean haveDraft = loadDraft(tree, node, vocab);
        for (int c = firstChild[node]; c >= 0; c = nextSibling[c]) {
            int x = tree.token(c);
            double ratio;
            if (haveDraft) {
                if (draft[x] <= 0) {
                    // Not something q, as it now stands, could draw: a repeat of a token already rejected, or
                    // outside q's support. Skipping it is exact; testing it would bias the result.
                    continue;
                }
                ratio = target[x] / draft[x];
            } else {
                if (target[x] <= 0) {
                    // Certain rejection that leaves p unchanged (a repeat, or a token the target rules out).
                    continue;
                }
                ratio = target[x];
            }
            if (sampler.uniform() < ratio) {
                acceptedProbability = sampler.params().isGreedy() ? softmaxAt(processed, vocab, x)
                        : (float) candidateProbability[c];
                return c;
            }
            if (haveDraft) {
                subtractDraft(vocab, x);
                haveDraft = removeFromDraft(vocab, x);
            } else {
                removeFromTarget(vocab, x);
            }
        }
        pendingToken = sampler.draw(target, vocab, sum(target, vocab));
        return -1;
    }

    /** Copies node's q into {@code draft}, normalised; false when it has none (fixed proposals). */
    private boolean loadDraft(DraftTree tree, int node, int vocab) {
        float[][] all = tree.draftProbabilities();
        float[] q = all == null ? null : all[node];
        if (q == null) {
            return false;
        }
        if (q.length < vocab) {
            throw new IllegalArgumentException("draft probabilities of node " + node + " have " + q.length
                    + " entries for a vocabulary of " + vocab);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            float v = q[i];
            if (!(v >= 0) || !Float.isFinite(v)) {
                throw new IllegalArgumentException("draft probability of token " + i + " at node " + node
                        + " must be finite and >= 0, was " + v);
            }
            draft[i] = v;
            sum += v;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("draft probabilities of node " + node + " sum to 0");
        }
        scale(draft, vocab, 1 / sum);
        return true;
    }

    /** p ← norm(max(0, p − q)) after a rejection. */
    private void subtractDraft(int vocab, int rejected) {
        double mass = 0;
        for (int i = 0; i < vocab; i++) {
            mass += Math.max(0, target[i] - draft[i]);
        }
        if (mass <= DEGENERATE_MASS) {
            degenerateResiduals++;
            removeFromTarget(vocab, rejected);
            return;
        }
        for (int i = 0; i < vocab; i++) {
            target[i] = Math.max(0, target[i] - draft[i]) / mass;
        }
    }

    /** p ← p without x, renormalised: the residual of a point-mass proposal. */
    private void removeFromTarget(int vocab, int rejected) {
        double rest = 0;
        for (int i = 0; i < vocab; i++) {
            rest += i == rejected ? 0 : target[i];
        }
        if (rest <= DEGENERATE_MASS) {
            // Only the rejected token had mass, so it could not really have been rejected: keep p as it is.
            degenerateResiduals++;
            return;
        }
        target[rejected] = 0;
        scale(target, vocab, 1 / rest);
    }

    /** q ← q without x, renormalised; false when nothing is left (later children are then fixed proposals). */
    private boolean removeFromDraft(int vocab, int rejected) {
        draft[rejected] = 0;
        double rest = sum(draft, vocab);
        if (!(rest > 0)) {
            return false;
        }
        scale(draft, vocab, 1 / rest);
        return true;
    }

    private void prepare(DraftTree tree, int vocab) {
        int n = tree.size();
        if (firstChild.length < n) {
            firstChild = new int[n];
            nextSibling = new int[n];
            path = new int[n];
            pathProbabilities = new float[n];
            candidateProbability = new double[n];
        }
        if (target.length < vocab) {
            target = new double[vocab];
            draft = new double[vocab];
        }
        Arrays.fill(firstChild, 0, n, -1);
        // Walking backwards and pushing to the front leaves each node's children in index (drafting) order.
        for (int i = n - 1; i >= 1; i--) {
            int parent = tree.parent(i);
            nextSibling[i] = firstChild[parent];
            firstChild[parent] = i;
        }
    }

    private int childWithToken(DraftTree tree, int node, int token) {
        for (int c = firstChild[node]; c >= 0; c = nextSibling[c]) {
            if (tree.token(c) == token) {
                return c;
            }
        }
        return -1;
    }

    private static void checkToken(int token, int vocab, int node) {
        if (token < 0 || token >= vocab) {
            throw new IllegalArgumentException("node " + node + " holds token " + token
                    + ", outside the vocabulary of " + vocab);
        }
    }

    private static void scale(double[] values, int n, double factor) {
        for (int i = 0; i < n; i++) {
            values[i] *= factor;
        }
    }

    private static double sum(double[] values, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += values[i];
        }
        return s;
    }
}
