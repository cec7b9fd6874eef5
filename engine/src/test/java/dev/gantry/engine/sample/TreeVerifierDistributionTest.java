package dev.gantry.engine.sample;

import dev.gantry.spi.speculator.DraftTree;
import dev.gantry.spi.speculator.VerifyMode;
import dev.gantry.spi.speculator.VerifyResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

/**
 * Speculative sampling must not change what is sampled: the first token committed after the root, and the
 * first two tokens jointly, must follow the target distribution whatever the draft proposed. Chi-square
 * tests at the 0.999 quantile, with fixed seeds so that a run repeats exactly.
 */
class TreeVerifierDistributionTest {

    private static final int VOCAB = 6;
    private static final int TRIALS = 30_000;
    private static final int[] NO_PROMPT = {};
    private static final int[] NO_EOS = {};

    /** Root logits; with temperature 0.8 and top-k 5 token 5 is cut, so the target is not a plain softmax. */
    private static final float[] ROOT_LOGITS = {1.0f, 0.2f, -0.5f, 1.5f, 0.0f, -1.2f};
    private static final SamplingParams TARGET = SamplingParams.builder().temperature(0.8f).topK(5).build();
    /**
     * A draft that disagrees with the target (its favourite is the target's third) and even proposes the token
     * the target has cut. Peaked enough that verifying draws without replacement while leaving q unchanged
     * after a rejection (SpecInfer's rule, which needs independent draws) shows up clearly.
     */
    private static final float[] DRAFT = {0.05f, 0.55f, 0.25f, 0.05f, 0.05f, 0.05f};

    private static double[] expectedRoot() {
        double[] p = new double[VOCAB];
        double sum = 0;
        for (int i = 0; i < 5; i++) {
            p[i] = Math.exp((ROOT_LOGITS[i] - 1.5) / 0.8);
            sum += p[i];
        }
        for (int i = 0; i < VOCAB; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void losslessWithChildrenDrawnWithoutReplacement(int children) {
        SplittableRandom drafter = new SplittableRandom(100 + children);
        TreeVerifier verifier = new TreeVerifier();
        long[] counts = firstTokens(seed(1, children), verifier, VerifyMode.SAMPLE_LOSSLESS,
                () -> withDraft(drawWithoutReplacement(drafter, DRAFT, children)));
        ChiSquare.assertFits(counts, expectedRoot(), "lossless, " + children + " children without replacement");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void losslessWithChildrenDrawnIndependentlyWithRepeats(int children) {
        SplittableRandom drafter = new SplittableRandom(200 + children);
        TreeVerifier verifier = new TreeVerifier();
        long[] counts = firstTokens(seed(2, children), verifier, VerifyMode.SAMPLE_LOSSLESS, () -> {
            int[] tokens = new int[children];
            for (int c = 0; c < children; c++) {
                tokens[c] = draw(drafter, toDouble(DRAFT));
            }
            return withDraft(tokens);
        });
        ChiSquare.assertFits(counts, expectedRoot(), "lossless, " + children + " children with replacement");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void losslessWithFixedProposals(int children) {
        int[] proposals = java.util.Arrays.copyOf(new int[] {1, 5, 3}, children);
        long[] counts = firstTokens(seed(3, children), new TreeVerifier(), VerifyMode.SAMPLE_LOSSLESS,
                () -> rootWithChildren(proposals, null));
        ChiSquare.assertFits(counts, expectedRoot(), "lossless, " + children + " fixed proposals");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void followTheTargetKeepsTheDistribution(int children) {
        SplittableRandom drafter = new SplittableRandom(400 + children);
        long[] counts = firstTokens(seed(4, children), new TreeVerifier(), VerifyMode.SAMPLE_FOLLOW_TARGET,
                () -> rootWithChildren(drawWithoutReplacement(drafter, DRAFT, children), null));
        ChiSquare.assertFits(counts, expectedRoot(), "follow the target, " + children + " children");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void greedyModeOnASamplingRequestFollowsTheTarget(int children) {
        int[] proposals = java.util.Arrays.copyOf(new int[] {3, 0, 4}, children);
        long[] counts = firstTokens(seed(5, children), new TreeVerifier(), VerifyMode.GREEDY_EXACT,
                () -> rootWithChildren(proposals, null));
        ChiSquare.assertFits(counts, expectedRoot(), "greedy mode, sampling request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SAMPLE_LOSSLESS", "SAMPLE_FOLLOW_TARGET"})
    void twoLevelTreesKeepTheJointDistributionOfTwoTokens(String modeName) {
        VerifyMode mode = VerifyMode.valueOf(modeName);
        MarkovTarget target = new MarkovTarget(VOCAB, 31, 1f);
        MarkovTarget draftModel = new MarkovTarget(VOCAB, 32, 1.5f);
        double temperature = 0.9;
        SamplingParams params = SamplingParams.builder().temperature((float) temperature).seed(77L).build();
        SequenceSampler sampler = new SequenceSampler(params, NO_PROMPT, NO_EOS);
        TreeVerifier verifier = new TreeVerifier();
        SplittableRandom drafter = new SplittableRandom(78);
        SplittableRandom nextStep = new SplittableRandom(79);
        int root = 0;
        sampler.accept(root);
        int trials = 40_000;
        long[] counts = new long[VOCAB * VOCAB];
        for (int t = 0; t < trials; t++) {
            // root → 2 children from q(root) → 2 children each from q(child): 7 nodes.
            int[] tokens = new int[7];
            int[] parents = {-1, 0, 0, 1, 1, 2, 2};
            float[][] q = new float[7][];
            tokens[0] = root;
            q[0] = toFloat(draftModel.distributionAfter(root, 1));
            int[] level1 = drawWithoutReplacement(drafter, q[0], 2);
            for (int c = 0; c < 2; c++) {
                int node = 1 + c;
                tokens[node] = level1[c];
                q[node] = toFloat(draftModel.distributionAfter(level1[c], 1));
                int[] level2 = drawWithoutReplacement(drafter, q[node], 2);
                tokens[3 + 2 * c] = level2[0];
                tokens[4 + 2 * c] = level2[1];
            }
            DraftTree tree = new DraftTree(tokens, parents, q);
            VerifyResult r = verifier.verify(tree, target.logits(tree), 0, VOCAB, sampler, mode);
            int[] nodes = r.acceptedNodes();
            int first = nodes.length > 1 ? tree.token(nodes[1]) : r.nextPendingToken();
            int second = nodes.length > 2 ? tree.token(nodes[2])
                    : nodes.length == 2 ? r.nextPendingToken()
                    // The step ended after one token: the next one comes from plain sampling, exactly.
                    : draw(nextStep, target.distributionAfter(first, temperature));
            counts[first * VOCAB + second]++;
        }
        double[] expected = new double[VOCAB * VOCAB];
        double[] p1 = target.distributionAfter(root, temperature);
        for (int a = 0; a < VOCAB; a++) {
            double[] p2 = target.distributionAfter(a, temperature);
            for (int b = 0; b < VOCAB; b++) {
                expected[a * VOCAB + b] = p1[a] * p2[b];
            }
        }
        ChiSquare.assertFits(counts, expected, mode + ", joint of two tokens");
    }

    /** Runs {@link #TRIALS} verifications of fresh trees and counts the first token committed after the root. */
    private static long[] firstTokens(long seed, TreeVerifier verifier, VerifyMode mode,
            java.util.function.Supplier<DraftTree> trees) {
        SequenceSampler sampler = new SequenceSampler(TARGET.toBuilder().seed(seed).build(), NO_PROMPT, NO_EOS);
        sampler.accept(0);
        long[] counts = new long[VOCAB];
        for (int t = 0; t < TRIALS; t++) {
            DraftTree tree = trees.get();
            // Every node gets the root's logits: only the first committed token is counted.
            float[] logits = new float[tree.size() * VOCAB];
            for (int i = 0; i < tree.size(); i++) {
                System.arraycopy(ROOT_LOGITS, 0, logits, i * VOCAB, VOCAB);
            }
            VerifyResult r = verifier.verify(tree, logits, 0, VOCAB, sampler, mode);
            int[] nodes = r.acceptedNodes();
            counts[nodes.length > 1 ? tree.token(nodes[1]) : r.nextPendingToken()]++;
        }
        return counts;
    }

    private static DraftTree withDraft(int[] children) {
        return rootWithChildren(children, DRAFT);
    }

    private static DraftTree rootWithChildren(int[] children, float[] rootDraft) {
        int[] tokens = new int[children.length + 1];
        int[] parents = new int[children.length + 1];
        parents[0] = -1;
        System.arraycopy(children, 0, tokens, 1, children.length);
        float[][] q = rootDraft == null ? null : new float[children.length + 1][];
        if (q != null) {
            q[0] = rootDraft;
        }
        return new DraftTree(tokens, parents, q);
    }

    /** Sequoia's draw: each child from q renormalised without the children already drawn. */
    private static int[] drawWithoutReplacement(SplittableRandom r, float[] q, int k) {
        double[] left = toDouble(q);
        int[] out = new int[k];
        for (int c = 0; c < k; c++) {
            out[c] = draw(r, left);
            left[out[c]] = 0;
        }
        return out;
    }

    private static int draw(SplittableRandom r, double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double u = r.nextDouble() * sum;
        double cumulative = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i];
            if (u < cumulative) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static double[] toDouble(float[] q) {
        double[] d = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            d[i] = q[i];
        }
        return d;
    }

    private static float[] toFloat(double[] q) {
        float[] f = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            f[i] = (float) q[i];
        }
        return f;
    }

    private static long seed(int test, int children) {
        return 1000L * test + children;
    }
}
