package dev.gantry.tck.speculator;

import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.sample.FinishReason;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.spi.ReleaseReason;
import dev.gantry.spi.speculator.Speculator;
import dev.gantry.spi.speculator.VerifyMode;
import dev.gantry.tck.KitModel;
import dev.gantry.tck.KitRequest;
import dev.gantry.tck.internal.EngineSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every {@link Speculator} keeps, as JUnit Jupiter tests. Extend it, name your speculator and
 * declare what it does:
 *
 * <pre>{@code
 * class MySpeculatorContractTest extends SpeculatorContractTest {
 *     @Override
 *     protected SpeculatorKit speculator() {
 *         return GantryTck.speculator("my-speculator")
 *                 .behaves(SpeculatorBehavior.DRAFTS, SpeculatorBehavior.LOSSLESS_SAMPLING);
 *     }
 * }
 * }</pre>
 *
 * <p>Runs, once per test class: the oracle prompts greedily with and without the speculator; a batch of
 * repetitive prompts (text a speculator can predict) plus story prompts, greedily, under a KV budget so small
 * that sequences are preempted by recompute, followed by one request cancelled mid-way; and
 * {@value #SAMPLES} seeded samples of a repetitive prompt with and without the speculator. Every tree proposed
 * in every run is checked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SpeculatorContractTest {

    /** Samples per side of the distribution check. */
    public static final int SAMPLES = 400;

    /** Tokens per sample (positions 2 to 5 are compared). */
    public static final int SAMPLE_TOKENS = 5;

    /**
     * The sampling temperature of the distribution check: 1 on the trained model; 0.25 on the synthetic one, whose
     * random weights give a nearly flat next-token distribution at 1 (against which no speculator's bias shows).
     */
    static float samplingTemperature() {
        return KitModel.get().trained() ? 1f : 0.25f;
    }

    /** Family-wise significance of the distribution check. */
    public static final double ALPHA = 1e-3;

    /** Prompts whose continuation repeats what came before: text any drafting speculator should predict. */
    static final List<String> REPETITIVE = List.of("Lily was sad. Lily was sad. Lily was sad. Lily was",
            "The dog ran and ran and ran and ran and", "One, two, three. One, two, three. One, two,",
            "Tom said hello. Tom said hello. Tom said");

    private SpeculatorKit kit;
    private SpeculatorRun oracle;
    private SpeculatorRun oraclePlain;
    private List<OraclePrompts.Case> cases;
    private SpeculatorRun pressured;
    private SpeculatorRun pressuredPlain;
    private SamplingComparison sampling;

    /** The speculator under test, found by {@code GantryTck.speculator(name)}, with its declared behaviours. */
    protected abstract SpeculatorKit speculator();

    /** KV blocks for the preemption run: well under what the batch needs at once. */
    protected int tightKvBlocks() {
        return 24;
    }

    private SpeculatorKit kit() {
        if (kit == null) {
            kit = speculator();
        }
        return kit;
    }

    private boolean declares(SpeculatorBehavior b) {
        return kit().behaviors().contains(b);
    }

    private void runOracle() {
        if (oracle == null) {
            cases = OraclePrompts.load(KitModel.get(), 64);
            List<GenerationRequest> requests = cases.stream()
                    .map(c -> GenerationRequest.greedy(c.prompt(), c.maxTokens())).toList();
            oracle = kit().run(requests);
            oraclePlain = kit().plainRun(requests);
        }
    }

    private List<GenerationRequest> pressureWorkload() {
        List<GenerationRequest> requests = new ArrayList<>();
        for (String p : REPETITIVE) {
            requests.add(KitRequest.of(p, 48).toRequest());
        }
        KitRequest.stories(8, 48).forEach(r -> requests.add(r.toRequest()));
        return requests;
    }

    private SpeculatorRun pressured() {
        if (pressured == null) {
            GenerationRequest cancelled = GenerationRequest.of(REPETITIVE.getFirst(), SamplingParams.builder()
                    .temperature(0f).maxTokens(150).ignoreEos(true).build());
            pressured = kit().kvBlocks(tightKvBlocks()).run(pressureWorkload(), cancelled, 12);
            pressuredPlain = kit().plainRun(pressureWorkload());
        }
        return pressured;
    }

    private SamplingComparison sampling() {
        if (sampling == null) {
            sampling = kit().compareSampling(REPETITIVE.getFirst(), samplingTemperature(), SAMPLES, SAMPLE_TOKENS);
        }
        return sampling;
    }

    private List<SpeculatorRun> allRuns() {
        runOracle();
        return List.of(oracle, pressured(), sampling().speculated());
    }

    /** The speculator answers to its name, declares a verify mode and a tree budget of at least the root. */
    @Test
    public void namesItselfAndDeclaresItsVerifyModeAndTreeBudget() {
        runOracle();
        assertEquals(kit().subject().name(), oracle.speculatorName(), "Speculator.name() of the created speculator");
        assertTrue(oracle.verifyMode() != null, "verifyMode() must not be null");
        assertTrue(oracle.maxTreeSize() >= 1, "maxTreeSize() counts the root, so it is at least 1, was "
                + oracle.maxTreeSize());
    }

    /** Greedy requests decode exactly as plain greedy decoding, token for token, on the oracle prompts. */
    @Test
    public void greedyOutputIsPlainGreedyOnTheOraclePrompts() {
        runOracle();
        oracle.assertWellFormedTrees().assertSameTokensAs(oraclePlain);
    }

    /** With the trained model, greedy output equals the reference implementation's ids on the oracle prompts. */
    @Test
    public void greedyOutputMatchesTheReferenceImplementation() {
        runOracle();
        Assumptions.assumeTrue(cases.stream().allMatch(c -> c.reference() != null),
                "the trained stories260K model and its oracle are not present: nothing to compare with");
        for (int i = 0; i < cases.size(); i++) {
            int[] ref = cases.get(i).reference();
            int[] got = oracle.completions().get(i).tokens();
            assertArrayEquals(ref, Arrays.copyOf(got, ref.length), oracle.label() + ": oracle prompt '"
                    + cases.get(i).prompt() + "'");
        }
    }

    /**
     * Greedy output stays exact when requests run together, are preempted by recompute (the speculator is
     * released and later sees the same sequence again) and one is cancelled.
     */
    @Test
    public void greedyOutputIsUnchangedUnderBatchingAndPreemption() {
        SpeculatorRun run = pressured().assertWellFormedTrees();
        List<EngineSession.Completion> batch = run.completions().subList(0, run.completions().size() - 1);
        for (int i = 0; i < batch.size(); i++) {
            assertArrayEquals(pressuredPlain.completions().get(i).tokens(), batch.get(i).tokens(),
                    run.label() + ": request " + i + " (" + batch.get(i).sequence() + ", preempted "
                            + batch.get(i).result().preemptions() + " times)");
        }
        assertTrue(run.stats().preemptions() > 0, run.label() + ": the kit's budget did not force a preemption");
    }

    /** Every tree is rooted at the pending token, within both budgets, over the vocabulary. */
    @Test
    public void proposesWellFormedTreesWithinBudget() {
        allRuns().forEach(SpeculatorRun::assertWellFormedTrees);
    }

    /** Declared: it drafts on predictable text and some drafts are accepted. Not declared: roots only. */
    @Test
    public void draftsOnlyWhenDeclared() {
        if (declares(SpeculatorBehavior.DRAFTS)) {
            SpeculatorRun run = pressured();
            assertTrue(run.draftNodes() > 0, run.label() + ": no draft proposed on the repetitive prompts");
            assertTrue(run.stats().acceptedTokens() > 0, run.label() + ": " + run.stats().draftTokens()
                    + " draft tokens were verified, none accepted, on text that repeats itself");
        } else {
            allRuns().forEach(r -> assertEquals(0, r.draftNodes(), r.label() + ": drafted without declaring DRAFTS"));
        }
    }

    /** Declared: some tree branches. Not declared: every tree is a chain. */
    @Test
    public void branchesOnlyWhenDeclared() {
        long branching = allRuns().stream().mapToLong(SpeculatorRun::branchingTrees).sum();
        if (declares(SpeculatorBehavior.BRANCHING_TREES)) {
            assertTrue(branching > 0, kit().subject() + ": declares BRANCHING_TREES but proposed only chains");
        } else {
            assertEquals(0, branching, kit().subject() + ": proposed branching trees without declaring "
                    + "BRANCHING_TREES");
        }
    }

    /**
     * Declared: trees come with draft distributions, each a distribution over the vocabulary that can draw its
     * children (checked with every tree). Not declared: none come with one.
     */
    @Test
    public void givesDraftProbabilitiesOnlyWhenDeclared() {
        long given = allRuns().stream().mapToLong(SpeculatorRun::treesWithProbabilities).sum();
        if (declares(SpeculatorBehavior.DRAFT_PROBABILITIES)) {
            assertTrue(given > 0, kit().subject() + ": declares DRAFT_PROBABILITIES but gave none");
        } else {
            assertEquals(0, given, kit().subject() + ": gave draft distributions without declaring "
                    + "DRAFT_PROBABILITIES");
        }
    }

    /**
     * Sampled requests keep the target distribution: {@value #SAMPLES} seeded samples with the speculator and
     * without it are indistinguishable at every position (chi-square, family-wise α = 0.001; temperature as
     * {@link #samplingTemperature()}).
     */
    @Test
    public void sampledOutputKeepsTheTargetDistribution() {
        sampling().assertSameDistribution(ALPHA);
    }

    /**
     * Declared: its verify mode keeps the distribution, and (when it drafts) it drafts for sampled requests
     * too. Not declared: it proposes only the root for sampled requests.
     */
    @Test
    public void speculatesForSampledRequestsOnlyWhenDeclared() {
        SpeculatorRun run = sampling().speculated();
        if (declares(SpeculatorBehavior.LOSSLESS_SAMPLING)) {
            assertNotEquals(VerifyMode.TYPICAL_LOSSY, run.verifyMode(), run.label()
                    + ": declares LOSSLESS_SAMPLING but verifies typically (lossy)");
            if (declares(SpeculatorBehavior.DRAFTS)) {
                assertTrue(run.sampledDraftNodes() > 0, run.label() + ": declares LOSSLESS_SAMPLING and DRAFTS "
                        + "but never drafted for a sampled request");
            }
        } else {
            assertEquals(0, run.sampledDraftNodes(), run.label() + ": drafted for sampled requests without "
                    + "declaring LOSSLESS_SAMPLING");
        }
    }

    /**
     * Per-sequence state is released: the engine releases every sequence as it finishes, is cancelled or is
     * preempted by recompute, and afterwards the speculator holds none of their ids.
     */
    @Test
    public void releasesStateOnFinishCancelAndPreemption() {
        SpeculatorRun run = pressured().assertReleasedEverySequence();
        EngineSession.Completion last = run.completions().getLast();
        assertEquals(FinishReason.CANCELLED, last.result().finishReason(), "the kit's cancelled request");
        assertFalse(run.releasedWith(ReleaseReason.PREEMPTED_RECOMPUTE).isEmpty(), run.label()
                + ": no sequence was preempted by recompute; the kit could not exercise that release");
        runOracle();
        oracle.assertReleasedEverySequence();
        sampling().speculated().assertReleasedEverySequence();
    }
}
