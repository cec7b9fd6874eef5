package dev.gantry.tck.speculator;

import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.engine.plugin.PluginSelection;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.spi.ConfigKey;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.speculator.Speculator;
import dev.gantry.spi.speculator.SpeculatorContext;
import dev.gantry.spi.speculator.SpeculatorFactory;
import dev.gantry.tck.KitModel;
import dev.gantry.tck.PluginUnderTest;
import dev.gantry.tck.internal.EngineSession;
import dev.gantry.tck.internal.RetainedSequences;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A speculator under test and the runs to put it through:
 *
 * <pre>{@code
 * SpeculatorKit kit = GantryTck.speculator("ngram").config("ngram.draft-tokens", "3")
 *         .behaves(SpeculatorBehavior.DRAFTS, SpeculatorBehavior.LOSSLESS_SAMPLING);
 * SpeculatorRun run = kit.kvBlocks(24).run(requests);
 * run.assertWellFormedTrees().assertSameTokensAs(kit.kvBlocks(24).plainRun(requests));
 * }</pre>
 *
 * <p>Runs open a real engine on the kit's model with the plugin's speculator (recorded) and the bundled
 * implementations of the other extension points; {@link #plainRun} runs the same requests with no speculation,
 * the reference. Instances are immutable.
 */
public final class SpeculatorKit {

    /** The baseline's speculator that proposes nothing: the reference every run is compared with. */
    static final String PLAIN = "none";

    /** Where the seeds of the plain side of the sampling comparison start. */
    static final long PLAIN_SEEDS = 1_000_000;

    private final PluginUnderTest<SpeculatorFactory> subject;
    private final Set<SpeculatorBehavior> behaviors;
    private final int kvBlocks;

    private SpeculatorKit(PluginUnderTest<SpeculatorFactory> subject, Set<SpeculatorBehavior> behaviors,
                          int kvBlocks) {
        this.subject = subject;
        this.behaviors = Set.copyOf(behaviors);
        this.kvBlocks = kvBlocks;
    }

    /** Used by {@code GantryTck}. */
    public static SpeculatorKit of(PluginUnderTest<SpeculatorFactory> subject) {
        return new SpeculatorKit(subject, Set.of(), 0);
    }

    /** The speculator with one more setting (relative to the plugin's namespace). */
    public SpeculatorKit config(String key, String value) {
        return new SpeculatorKit(subject.with(key, value), behaviors, kvBlocks);
    }

    /** Declares behaviours the speculator has. */
    public SpeculatorKit behaves(SpeculatorBehavior... more) {
        Set<SpeculatorBehavior> all = EnumSet.noneOf(SpeculatorBehavior.class);
        all.addAll(behaviors);
        all.addAll(List.of(more));
        return new SpeculatorKit(subject, all, kvBlocks);
    }

    /** The device KV budget of the runs, in blocks of 16 tokens; 0 (the default) for Gantry's default. */
    public SpeculatorKit kvBlocks(int blocks) {
        return new SpeculatorKit(subject, behaviors, blocks);
    }

    /** The behaviours declared. */
    public Set<SpeculatorBehavior> behaviors() {
        return behaviors;
    }

    /** The speculator under test. */
    public PluginUnderTest<SpeculatorFactory> subject() {
        return subject;
    }

    /** Runs the requests (submitted together) with the speculator under test. */
    public SpeculatorRun run(List<GenerationRequest> requests) {
        return run(requests, null, 0);
    }

    /**
     * Runs the requests with the speculator under test, then one more request alone that the kit cancels after
     * it has generated {@code afterTokens} tokens; its completion is the last.
     */
    public SpeculatorRun run(List<GenerationRequest> requests, GenerationRequest cancelled, int afterTokens) {
        AtomicReference<RecordingSpeculator> created = new AtomicReference<>();
        PluginRegistry registry = subject.registry(f -> new Recording(f, created));
        EngineOptions options = options(PluginSelection.fromProperties(subject.properties()));
        List<EngineSession.Completion> completions = new ArrayList<>();
        EngineSession.Outcome outcome;
        try (EngineSession session = EngineSession.open(KitModel.get(), options, registry)) {
            outcome = session.runAll(requests, () -> null);
            completions.addAll(outcome.completions());
            if (cancelled != null) {
                completions.add(session.cancelAfter(cancelled, afterTokens));
            }
            outcome = new EngineSession.Outcome(completions, outcome.abandoned(), session.stats());
        }
        RecordingSpeculator r = created.get();
        return new SpeculatorRun(subject + " " + subject.settings() + budgetLabel(), r.delegate().name(),
                r.delegate().verifyMode(), r.delegate().maxTreeSize(), outcome.completions(), r.snapshot(),
                outcome.stats(), RetainedSequences.reachableFrom(r.delegate()));
    }

    /** Runs the requests with no speculation (the baseline's {@code none}): the reference. */
    public SpeculatorRun plainRun(List<GenerationRequest> requests) {
        PluginRegistry installed = PluginRegistry.discover();
        PluginUnderTest<SpeculatorFactory> plain = PluginUnderTest.of(ExtensionPoint.SPECULATOR,
                installed.require(ExtensionPoint.SPECULATOR, PLAIN).plugin(), PLAIN);
        return new SpeculatorKit(plain, Set.of(), kvBlocks).run(requests);
    }

    /**
     * Samples {@code samples} requests for {@code prompt} at {@code temperature}, each generating {@code tokens}
     * tokens, with the speculator (seeds 1, 2, …) and without it (seeds {@value #PLAIN_SEEDS} + 1, + 2, …: two
     * independent samples, as the test of homogeneity assumes), and compares the tokens at every output position
     * after the first (the first comes from the prompt's logits, before any speculation).
     */
    public SamplingComparison compareSampling(String prompt, float temperature, int samples, int tokens) {
        SpeculatorRun speculated = run(sampled(prompt, temperature, samples, tokens, 0));
        SpeculatorRun plain = plainRun(sampled(prompt, temperature, samples, tokens, PLAIN_SEEDS));
        List<int[]> a = speculated.assertNoFailures().completions().stream().map(EngineSession.Completion::tokens)
                .toList();
        List<int[]> b = plain.assertNoFailures().completions().stream().map(EngineSession.Completion::tokens)
                .toList();
        double[] p = new double[Math.max(0, tokens - 1)];
        for (int pos = 1; pos < tokens; pos++) {
            p[pos - 1] = TokenDistributions.pValue(a, b, pos);
        }
        return new SamplingComparison(prompt, samples, speculated, plain, p);
    }

    private static List<GenerationRequest> sampled(String prompt, float temperature, int samples, int tokens,
                                                   long firstSeed) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            requests.add(GenerationRequest.of(prompt, SamplingParams.builder().temperature(temperature)
                    .maxTokens(tokens).ignoreEos(true).seed(firstSeed + i + 1).build()));
        }
        return requests;
    }

    private EngineOptions options(PluginSelection plugins) {
        EngineOptions options = EngineSession.defaultOptions().withPlugins(plugins);
        if (kvBlocks > 0) {
            options = options.withKvBudget(kvBlocks * 16L * KitModel.get().f32KvBytesPerToken());
        }
        return options;
    }

    private String budgetLabel() {
        return kvBlocks > 0 ? " with " + kvBlocks + " KV blocks" : "";
    }

    /** The plugin's factory, creating recorded speculators. */
    private record Recording(SpeculatorFactory factory, AtomicReference<RecordingSpeculator> created)
            implements SpeculatorFactory {

        @Override
        public String name() {
            return factory.name();
        }

        @Override
        public String description() {
            return factory.description();
        }

        @Override
        public List<ConfigKey<?>> configKeys() {
            return factory.configKeys();
        }

        @Override
        public Speculator create(PluginConfig config, SpeculatorContext context) {
            RecordingSpeculator r = new RecordingSpeculator(factory.create(config, context));
            created.set(r);
            return r;
        }
    }
}
