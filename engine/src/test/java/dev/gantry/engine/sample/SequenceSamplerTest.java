package dev.gantry.engine.sample;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceSamplerTest {

    private static final int[] NO_PROMPT = {};
    private static final int[] NO_EOS = {};

    /** Logits whose softmax is exactly {0.5, 0.3, 0.15, 0.05}. */
    private static final float[] QUARTERS = logs(0.5, 0.3, 0.15, 0.05);

    @Test
    void readsItsSliceAndLeavesTheLogitsAlone() {
        float[] batch = {9f, 9f, 0f, 1f, 5f, 2f, 9f};
        float[] copy = batch.clone();
        SequenceSampler s = sampler(SamplingParams.builder().temperature(0f).repetitionPenalty(3f).build(),
                new int[] {2});
        // Token 2 was in the prompt: the penalty takes its 5 to 5/3, below token 3's 2, in scratch only.
        assertEquals(3, s.sample(batch, 2, 4).token());
        assertArrayEquals(copy, batch);
    }

    @Test
    void greedyTakesTheLowestIdOnTiesAndTopKOneIsGreedy() {
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            float[] logits = new float[12];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = r.nextInt(4); // many ties
            }
            int greedy = Sampler.GREEDY.sample(logits, logits.length);
            assertEquals(greedy, sampler(SamplingParams.greedy(4)).sample(logits, 0, 12).token());
            SamplingParams topOne = SamplingParams.builder().temperature(1.3f).topK(1).seed((long) trial).build();
            assertEquals(greedy, sampler(topOne).sample(logits, 0, 12).token(), "top-k 1 on " + Arrays.toString(logits));
        }
    }

    @Test
    void temperatureScalesTheLogits() {
        float[] logits = {1f, 2f, 4f};
        double[] w = weights(SamplingParams.builder().temperature(0.5f).build(), logits);
        assertEquals(Math.exp((1 - 4) / 0.5) / Math.exp(0), w[0] / w[2], 1e-12);
        assertEquals(Math.exp((2 - 4) / 0.5), w[1] / w[2], 1e-12);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        assertEquals(set(0), kept(SamplingParams.builder().topP(0.45f).build(), QUARTERS));
        assertEquals(set(0, 1), kept(SamplingParams.builder().topP(0.55f).build(), QUARTERS));
        assertEquals(set(0, 1), kept(SamplingParams.builder().topP(0.75f).build(), QUARTERS));
        assertEquals(set(0, 1, 2), kept(SamplingParams.builder().topP(0.85f).build(), QUARTERS));
        assertEquals(set(0, 1, 2, 3), kept(SamplingParams.builder().topP(0.99f).build(), QUARTERS));
        double[] w = weights(SamplingParams.builder().topP(0.75f).build(), QUARTERS);
        assertEquals(0.5 / 0.3, w[0] / w[1], 1e-6, "survivors keep their relative weights");
    }

    @Test
    void topKKeepsTheKMostLikelyAndTopPThenSeesTheirRenormalisedMass() {
        assertEquals(set(0, 1), kept(SamplingParams.builder().topK(2).build(), QUARTERS));
        assertEquals(set(0, 1, 2, 3), kept(SamplingParams.builder().topK(9).build(), QUARTERS));
        // Over the whole vocabulary 0.5 < 0.6 would keep token 1; after top-k 2 token 0 holds 0.625 ≥ 0.6.
        assertEquals(set(0), kept(SamplingParams.builder().topK(2).topP(0.6f).build(), QUARTERS));
        assertEquals(set(0, 1), kept(SamplingParams.builder().topP(0.6f).build(), QUARTERS));
        // Ties at the cut go to the lower id, as greedy's do.
        assertEquals(set(0, 1), kept(SamplingParams.builder().topK(2).build(), new float[] {2f, 3f, 2f, 2f}));
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheTop() {
        assertEquals(set(0, 1, 2), kept(SamplingParams.builder().minP(0.25f).build(), QUARTERS));
        assertEquals(set(0, 1), kept(SamplingParams.builder().minP(0.5f).build(), QUARTERS));
        assertEquals(set(0), kept(SamplingParams.builder().minP(0.7f).build(), QUARTERS));
        // Min-p reads the temperature-scaled distribution: at T=2, p1/p0 = sqrt(0.6) ≈ 0.77.
        assertEquals(set(0, 1), kept(SamplingParams.builder().temperature(2f).minP(0.7f).build(), QUARTERS));
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfPromptAndOutput() {
        float[] logits = {2f, 2f, -1f, -1f, 0.5f};
        SequenceSampler s = sampler(SamplingParams.builder().repetitionPenalty(2f).build(), new int[] {0, 0});
        s.accept(2);
        float[] p = s.processed(logits, 0, 5).clone();
        assertArrayEquals(new float[] {1f, 2f, -2f, -1f, 0.5f}, Arrays.copyOf(p, 5));
    }

    @Test
    void presenceAndFrequencyPenaltiesCountOutputTokensOnly() {
        float[] logits = {1f, 1f, 1f, 1f};
        SequenceSampler s = sampler(
                SamplingParams.builder().presencePenalty(0.25f).frequencyPenalty(0.5f).build(), new int[] {0, 3});
        s.accept(1);
        s.accept(1);
        s.accept(2);
        float[] p = Arrays.copyOf(s.processed(logits, 0, 4), 4);
        assertArrayEquals(new float[] {1f, 1f - (0.5f * 2 + 0.25f), 1f - (0.5f + 0.25f), 1f}, p, 1e-6f);
    }

    @Test
    void repetitionPenaltyComesBeforeFrequencyAndPresence() {
        float[] logits = {3f, -2f};
        SequenceSampler s = sampler(SamplingParams.builder().repetitionPenalty(1.5f).presencePenalty(1f)
                .frequencyPenalty(0.5f).build(), NO_PROMPT);
        s.accept(0);
        s.accept(1);
        s.accept(1);
        float[] p = Arrays.copyOf(s.processed(logits, 0, 2), 2);
        assertArrayEquals(new float[] {3f / 1.5f - 1.5f, -2f * 1.5f - 2f}, p, 1e-6f);
    }

    @Test
    void seedsRepeatWhateverElseIsSampledAndDifferentSeedsDiffer() {
        float[] logits = {0.1f, 0.4f, 0.2f, 0.3f, 0f, 0.25f};
        SamplingParams seven = SamplingParams.builder().seed(7L).build();
        SequenceSampler alone = sampler(seven);
        SequenceSampler batched = sampler(seven);
        SequenceSampler neighbour = sampler(SamplingParams.builder().build());
        SequenceSampler eight = sampler(SamplingParams.builder().seed(8L).build());
        int[] a = new int[200];
        int[] b = new int[200];
        int[] c = new int[200];
        for (int i = 0; i < 200; i++) {
            a[i] = alone.sample(logits, 0, 6).token();
            neighbour.sample(logits, 0, 6);
            b[i] = batched.sample(logits, 0, 6).token();
            neighbour.sample(logits, 0, 6);
            c[i] = eight.sample(logits, 0, 6).token();
        }
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertEquals(7L, alone.seed());
        assertNotEquals(sampler(SamplingParams.builder().build()).seed(),
                sampler(SamplingParams.builder().build()).seed(), "unseeded requests draw their own seeds");
    }

    @Test
    void samplingFollowsTheTruncatedDistribution() {
        SequenceSampler s = sampler(SamplingParams.builder().topK(3).temperature(1f).seed(21L).build());
        long[] counts = new long[4];
        for (int i = 0; i < 30_000; i++) {
            counts[s.sample(QUARTERS, 0, 4).token()]++;
        }
        ChiSquare.assertFits(counts, new double[] {0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0}, "top-k 3");
    }

    @Test
    void minTokensSuppressesEosAndStopTokenIdsUntilReached() {
        float[] logits = {0f, 1f, 9f, 8f}; // EOS = 2, stop token id 3
        SequenceSampler s = new SequenceSampler(
                SamplingParams.builder().temperature(0f).minTokens(2).stopTokenIds(3).build(), NO_PROMPT,
                new int[] {2});
        assertEquals(1, s.sample(logits, 0, 4).token());
        s.accept(1);
        assertEquals(1, s.sample(logits, 0, 4).token());
        s.accept(1);
        assertEquals(2, s.sample(logits, 0, 4).token(), "two tokens generated: EOS allowed");

        SequenceSampler ignoring = new SequenceSampler(
                SamplingParams.builder().temperature(0f).minTokens(2).ignoreEos(true).build(), NO_PROMPT,
                new int[] {2});
        assertEquals(2, ignoring.sample(logits, 0, 4).token(), "with ignore_eos, EOS is an ordinary token");
    }

    @Test
    void logprobsAreTheLogSoftmaxOfTheRawLogits() {
        float[] logits = {1f, 3f, 3f, 0f, 2f};
        double lse = Math.log(Math.exp(1) + 2 * Math.exp(3) + Math.exp(0) + Math.exp(2));
        // Penalties and temperature change the choice, not the reported logprobs.
        SequenceSampler s = sampler(SamplingParams.builder().temperature(0f).logprobs(3)
                .repetitionPenalty(10f).build(), new int[] {1, 2});
        SampleResult r = s.sample(logits, 0, 5);
        assertEquals(4, r.token());
        assertEquals(2 - lse, r.logprob(), 1e-6);
        assertArrayEquals(new int[] {1, 2, 4}, r.topIds());
        assertArrayEquals(new float[] {(float) (3 - lse), (float) (3 - lse), (float) (2 - lse)}, r.topLogprobs(), 1e-6f);

        SampleResult none = sampler(SamplingParams.greedy(3)).sample(logits, 0, 5);
        assertFalse(none.hasLogprobs());
        assertEquals(0, none.topIds().length);
        SampleResult chosenOnly = sampler(SamplingParams.builder().temperature(0f).logprobs(0).build())
                .sample(logits, 0, 5);
        assertEquals(3 - lse, chosenOnly.logprob(), 1e-6);
        assertEquals(0, chosenOnly.topIds().length);
        SampleResult all = sampler(SamplingParams.builder().temperature(0f).logprobs(50).build()).sample(logits, 0, 5);
        assertArrayEquals(new int[] {1, 2, 4, 0, 3}, all.topIds(), "clamped to the vocabulary");
    }

    @Test
    void badInputIsRefused() {
        SequenceSampler s = sampler(SamplingParams.greedy(3));
        assertThrows(IllegalArgumentException.class, () -> s.sample(new float[4], 2, 4));
        assertThrows(IllegalArgumentException.class, () -> s.accept(-1));
        assertThrows(IllegalArgumentException.class, () -> s.describe(new float[4], 0, 4, 4));
    }

    @Test
    void rankingSelectsTheBestKeys() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + r.nextInt(60);
            int k = r.nextInt(n + 1);
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = TokenRanking.key(r.nextInt(5) - 2.5f, i);
            }
            long[] sorted = keys.clone();
            Arrays.sort(sorted);
            TokenRanking.selectBest(keys, n, k);
            long[] best = Arrays.copyOf(keys, k);
            Arrays.sort(best);
            assertArrayEquals(Arrays.copyOf(sorted, k), best);
        }
        assertTrue(TokenRanking.key(2f, 5) < TokenRanking.key(1f, 0));
        assertTrue(TokenRanking.key(-1f, 0) < TokenRanking.key(-1f, 1));
        assertTrue(TokenRanking.key(-0.5f, 9) < TokenRanking.key(Float.NEGATIVE_INFINITY, 0));
    }

    private static SequenceSampler sampler(SamplingParams p) {
        return sampler(p, NO_PROMPT);
    }

    private static SequenceSampler sampler(SamplingParams p, int[] prompt) {
        return new SequenceSampler(p, prompt, NO_EOS);
    }

    private static double[] weights(SamplingParams p, float[] logits) {
        SequenceSampler s = sampler(p);
        double[] out = new double[logits.length];
        s.weights(s.processed(logits, 0, logits.length), logits.length, out);
        return out;
    }

    private static Set<Integer> kept(SamplingParams p, float[] logits) {
        double[] w = weights(p, logits);
        Set<Integer> kept = new TreeSet<>();
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                kept.add(i);
            }
        }
        return kept;
    }

    private static Set<Integer> set(Integer... ids) {
        return new TreeSet<>(Arrays.asList(ids));
    }

    private static float[] logs(double... p) {
        float[] l = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            l[i] = (float) Math.log(p[i]);
        }
        return l;
    }
}
