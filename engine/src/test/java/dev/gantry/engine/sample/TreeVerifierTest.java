package dev.gantry.engine.sample;

import dev.gantry.spi.speculator.DraftTree;
import dev.gantry.spi.speculator.VerifyMode;
import dev.gantry.spi.speculator.VerifyResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TreeVerifierTest {

    private static final int VOCAB = 8;
    private static final int[] PROMPT = {0, 3};
    private static final int[] NO_EOS = {};

    // A repetition penalty makes each greedy choice depend on the whole history, so verification must
    // process every node with its own path as history to reproduce plain greedy decoding.
    private static final SamplingParams GREEDY = SamplingParams.builder().temperature(0f)
            .repetitionPenalty(1.6f).frequencyPenalty(0.3f).maxTokens(100).build();

    private final MarkovTarget target = new MarkovTarget(VOCAB, 17, 2f);

    /** Plain greedy decoding: the reference every speculative run must reproduce. */
    private int[] plainGreedy(int length) {
        SequenceSampler s = new SequenceSampler(GREEDY, PROMPT, NO_EOS);
        int[] out = new int[length];
        int last = PROMPT[PROMPT.length - 1];
        for (int i = 0; i < length; i++) {
            out[i] = s.sample(target.next[last], 0, VOCAB).token();
            s.accept(out[i]);
            last = out[i];
        }
        return out;
    }

    private interface TreeShape {
        /** A tree rooted at {@code truth[at]}; {@code truth} continues with the true greedy tokens. */
        DraftTree build(int[] truth, int at);
    }

    @ParameterizedTest
    @EnumSource(value = VerifyMode.class, names = {"GREEDY_EXACT", "SAMPLE_LOSSLESS", "SAMPLE_FOLLOW_TARGET"})
    void aChainOfTheTrueTokensIsAcceptedWhole(VerifyMode mode) {
        int[] accepted = speculate(mode, (truth, at) -> DraftTree.chain(truth[at],
                truth[at + 1], truth[at + 2], truth[at + 3], truth[at + 4]), 5);
        for (int a : accepted) {
            assertEquals(4, a, "every draft accepted");
        }
    }

    @ParameterizedTest
    @EnumSource(value = VerifyMode.class, names = {"GREEDY_EXACT", "SAMPLE_LOSSLESS", "SAMPLE_FOLLOW_TARGET"})
    void theTruePathIsFoundAmongWrongBranches(VerifyMode mode) {
        int[] accepted = speculate(mode, (truth, at) -> {
            // root ─ wrong, TRUE1, wrong;  TRUE1 ─ wrong, TRUE2;  TRUE2 ─ TRUE3, wrong;  wrong ─ TRUE2 (a decoy)
            int t1 = truth[at + 1];
            int t2 = truth[at + 2];
            int t3 = truth[at + 3];
            int[] tokens = {truth[at], wrong(t1), t1, wrong(t1, 1), wrong(t2), t2, t3, wrong(t3), t2};
            int[] parents = {-1, 0, 0, 0, 2, 2, 5, 5, 1};
            return new DraftTree(tokens, parents, null);
        }, 4);
        for (int a : accepted) {
            assertEquals(3, a, "the true path, three deep");
        }
    }

    @ParameterizedTest
    @EnumSource(value = VerifyMode.class, names = {"GREEDY_EXACT", "SAMPLE_LOSSLESS", "SAMPLE_FOLLOW_TARGET"})
    void nonsenseLeavesOnlyTheRoot(VerifyMode mode) {
        // Wrong first tokens, with right-looking tokens below them that must not be reached.
        int[] accepted = speculate(mode, (truth, at) -> {
            int t1 = truth[at + 1];
            int[] tokens = {truth[at], wrong(t1), wrong(t1, 1), truth[at + 2], t1};
            int[] parents = {-1, 0, 0, 1, 3};
            return new DraftTree(tokens, parents, null);
        }, 2);
        for (int a : accepted) {
            assertEquals(0, a);
        }
    }

    @Test
    void greedyReportsTheSoftmaxOfTheProcessedLogitsForAcceptedTokens() {
        int[] truth = plainGreedy(3);
        SequenceSampler s = new SequenceSampler(GREEDY, PROMPT, NO_EOS);
        s.accept(truth[0]);
        DraftTree tree = DraftTree.chain(truth[0], truth[1]);
        float[] logits = target.logits(tree);
        float[] processed = Arrays.copyOf(s.processed(logits, 0, VOCAB), VOCAB);
        double sum = 0;
        for (float l : processed) {
            sum += Math.exp(l - processed[truth[1]]);
        }
        VerifyResult r = new TreeVerifier().verify(tree, logits, 0, VOCAB, s, VerifyMode.GREEDY_EXACT);
        assertArrayEquals(new int[] {0, 1}, r.acceptedNodes());
        assertTrue(Float.isNaN(r.targetProbabilities()[0]));
        assertEquals(1 / sum, r.targetProbabilities()[1], 1e-6);
        assertEquals(truth[2], r.nextPendingToken());
        assertEquals(3, s.generated(), "root, accepted draft and the new pending token");
    }

    @ParameterizedTest
    @EnumSource(value = VerifyMode.class, names = {"SAMPLE_LOSSLESS", "SAMPLE_FOLLOW_TARGET"})
    void aRootOnlyTreeSamplesExactlyAsPlainSampling(VerifyMode mode) {
        SamplingParams p = SamplingParams.builder().temperature(1.2f).topP(0.9f).presencePenalty(0.4f)
                .seed(99L).build();
        SequenceSampler plain = new SequenceSampler(p, PROMPT, NO_EOS);
        SequenceSampler speculative = new SequenceSampler(p, PROMPT, NO_EOS);
        TreeVerifier verifier = new TreeVerifier();
        int last = 3;
        plain.accept(last);
        speculative.accept(last);
        for (int i = 0; i < 300; i++) {
            int expected = plain.sample(target.next[last], 0, VOCAB).token();
            plain.accept(expected);
            DraftTree root = DraftTree.rootOnly(last);
            VerifyResult r = verifier.verify(root, target.logits(root), 0, VOCAB, speculative, mode);
            assertEquals(expected, r.nextPendingToken(), "step " + i);
            last = expected;
        }
    }

    @Test
    void logitsAreReadAtTheGivenOffset() {
        int[] truth = plainGreedy(3);
        SequenceSampler s = new SequenceSampler(GREEDY, PROMPT, NO_EOS);
        s.accept(truth[0]);
        DraftTree tree = DraftTree.chain(truth[0], truth[1]);
        float[] logits = target.logits(tree);
        float[] batch = new float[logits.length + 3 * VOCAB];
        System.arraycopy(logits, 0, batch, 2 * VOCAB, logits.length);
        float[] before = batch.clone();
        VerifyResult r = new TreeVerifier().verify(tree, batch, 2 * VOCAB, VOCAB, s, VerifyMode.GREEDY_EXACT);
        assertEquals(truth[2], r.nextPendingToken());
        assertArrayEquals(before, batch, "logits are not modified");
    }

    @Test
    void typicalAcceptanceIsNotThereYetAndBadInputIsRefused() {
        SequenceSampler s = new SequenceSampler(GREEDY, PROMPT, NO_EOS);
        DraftTree tree = DraftTree.chain(1, 2);
        TreeVerifier v = new TreeVerifier();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> v.verify(tree, new float[2 * VOCAB], 0, VOCAB, s, VerifyMode.TYPICAL_LOSSY));
        assertTrue(e.getMessage().contains("TYPICAL_LOSSY"));
        assertThrows(IllegalArgumentException.class,
                () -> v.verify(tree, new float[2 * VOCAB - 1], 0, VOCAB, s, VerifyMode.GREEDY_EXACT));
        DraftTree outside = DraftTree.chain(1, VOCAB + 4);
        SequenceSampler sampling = new SequenceSampler(SamplingParams.builder().seed(1L).build(), PROMPT, NO_EOS);
        assertThrows(IllegalArgumentException.class,
                () -> v.verify(outside, new float[2 * VOCAB], 0, VOCAB, sampling, VerifyMode.SAMPLE_LOSSLESS));
    }

    /**
     * Decodes 60 tokens speculatively with trees from {@code shape} and checks they are plain greedy's; returns
     * the number of drafts accepted per step.
     */
    private int[] speculate(VerifyMode mode, TreeShape shape, int lookahead) {
        int total = 60;
        int[] truth = plainGreedy(total + lookahead + 1);
        SequenceSampler s = new SequenceSampler(GREEDY, PROMPT, NO_EOS);
        TreeVerifier verifier = new TreeVerifier();
        int first = s.sample(target.next[PROMPT[PROMPT.length - 1]], 0, VOCAB).token();
        s.accept(first);
        List<Integer> out = new ArrayList<>(List.of(first));
        List<Integer> acceptedPerStep = new ArrayList<>();
        while (out.size() < total) {
            int at = out.size() - 1;
            DraftTree tree = shape.build(truth, at);
            VerifyResult r = verifier.verify(tree, target.logits(tree), 0, VOCAB, s, mode);
            int[] nodes = r.acceptedNodes();
            for (int i = 1; i < nodes.length; i++) {
                out.add(tree.token(nodes[i]));
            }
            out.add(r.nextPendingToken());
            acceptedPerStep.add(r.acceptedDrafts());
            assertEquals(out.size(), s.generated(), "the sampler recorded every committed token");
        }
        for (int i = 0; i < out.size(); i++) {
            assertEquals(truth[i], out.get(i), mode + ": token " + i + " of " + out);
        }
        return acceptedPerStep.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A token other than {@code t} (the k-th such). */
    private static int wrong(int t, int k) {
        return (t + 1 + k) % VOCAB;
    }

    private static int wrong(int t) {
        return wrong(t, 0);
    }
}
