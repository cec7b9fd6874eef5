package dev.gantry.tck.attention;

import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.engine.plugin.PluginSelection;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.spi.ConfigKey;
import dev.gantry.spi.ModelInfo;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.Approximation;
import dev.gantry.spi.attention.AttentionBackend;
import dev.gantry.spi.attention.AttentionBackendContext;
import dev.gantry.spi.attention.AttentionBackendFactory;
import dev.gantry.spi.attention.AttentionMask;
import dev.gantry.spi.attention.AttentionPhase;
import dev.gantry.spi.attention.LayerInfo;
import dev.gantry.tck.KitModel;
import dev.gantry.tck.KitRequest;
import dev.gantry.tck.PluginUnderTest;
import dev.gantry.tck.internal.EngineSession;
import dev.gantry.tck.internal.RetainedSequences;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An attention backend under test and the run to put it through:
 *
 * <pre>{@code
 * AttentionRun run = GantryTck.attentionBackend("dense").behaves(AttentionBehavior.TREE_VERIFICATION).run();
 * run.assertMatchesDenseAttention().assertReleasedEverySequence();
 * }</pre>
 *
 * <p>{@link #run()} sends the kit's workload through a real engine with the backend (recorded) and the bundled
 * implementations of the other extension points: story and repetitive prompts prefilled in chunks of
 * {@value #CHUNK} tokens, decoded greedily under a KV budget small enough to preempt sequences by recompute,
 * draft trees from the kit's branching speculator when {@link AttentionBehavior#TREE_VERIFICATION} is
 * declared, and one request cancelled mid-way. Every call is compared with dense attention. Instances are
 * immutable.
 */
public final class AttentionKit {

    /** The relative error an exact backend is held to: float rounding, not approximation. */
    public static final double EXACT_TOLERANCE = 1e-4;

    /** The prefill chunk of the kit's run, small so prompts take several chunks. */
    public static final int CHUNK = 16;

    private final PluginUnderTest<AttentionBackendFactory> subject;
    private final Set<AttentionBehavior> behaviors;

    private AttentionKit(PluginUnderTest<AttentionBackendFactory> subject, Set<AttentionBehavior> behaviors) {
        this.subject = subject;
        this.behaviors = Set.copyOf(behaviors);
    }

    /** Used by {@code GantryTck}. */
    public static AttentionKit of(PluginUnderTest<AttentionBackendFactory> subject) {
        return new AttentionKit(subject, Set.of());
    }

    /** The backend with one more setting (relative to the plugin's namespace). */
    public AttentionKit config(String key, String value) {
        return new AttentionKit(subject.with(key, value), behaviors);
    }

    /** Declares behaviours the backend has. */
    public AttentionKit behaves(AttentionBehavior... more) {
        Set<AttentionBehavior> all = EnumSet.noneOf(AttentionBehavior.class);
        all.addAll(behaviors);
        all.addAll(List.of(more));
        return new AttentionKit(subject, all);
    }

    /** The behaviours declared. */
    public Set<AttentionBehavior> behaviors() {
        return behaviors;
    }

    /** The backend under test. */
    public PluginUnderTest<AttentionBackendFactory> subject() {
        return subject;
    }

    /** The relative error every call is held to, from what the backend declares. */
    public static double toleranceFor(Approximation approximation) {
        return approximation.exact() ? EXACT_TOLERANCE : approximation.maxRelativeError() * (1 + 1e-6) + 1e-6;
    }

    /** Runs the kit's workload through a real engine with the backend under test. */
    public AttentionRun run() {
        KitModel model = KitModel.get();
        AtomicReference<RecordingAttention> created = new AtomicReference<>();
        boolean trees = behaviors.contains(AttentionBehavior.TREE_VERIFICATION);
        PluginRegistry registry = trees ? subject.registry(f -> new Recording(f, created), new BranchingDraftPlugin())
                : subject.registry(f -> new Recording(f, created));
        Map<String, String> properties = new LinkedHashMap<>(subject.properties());
        if (trees) {
            properties.put(ExtensionPoint.SPECULATOR.configKey(), BranchingDraftPlugin.SPECULATOR);
        }
        EngineOptions options = EngineSession.defaultOptions().withPlugins(PluginSelection.fromProperties(properties))
                .withMaxChunkTokens(CHUNK).withKvBudget(16 * 16L * model.f32KvBytesPerToken());
        List<GenerationRequest> requests = new ArrayList<>();
        KitRequest.stories(12, 32).forEach(r -> requests.add(r.toRequest()));
        requests.add(KitRequest.of("Lily was sad. Lily was sad. Lily was sad. Lily was", 32).toRequest());
        List<EngineSession.Completion> completions = new ArrayList<>();
        try (EngineSession session = EngineSession.open(model, options, registry)) {
            completions.addAll(session.runAll(requests, () -> null).completions());
            completions.add(session.cancelAfter(GenerationRequest.of("Once upon a time", SamplingParams.builder()
                    .temperature(0f).maxTokens(150).ignoreEos(true).build()), 10));
        }
        RecordingAttention r = created.get();
        return new AttentionRun(subject + " " + subject.settings() + (trees ? " with draft trees" : ""),
                r.delegate().name(), r.delegate().approximation(), toleranceFor(r.delegate().approximation()),
                completions, r.snapshot(), RetainedSequences.reachableFrom(r.delegate()));
    }

    /**
     * Creates a backend outside the engine and hands it one {@code VERIFY} call with a tree mask; returns what
     * it threw, or null when it computed an answer.
     */
    public Throwable attendToATree() {
        ModelInfo info = KitModel.get().info();
        AttentionBackend backend = subject.factory().create(subject.config(), new AttentionBackendContext() {
            @Override
            public ModelInfo model() {
                return info;
            }

            @Override
            public int blockSize() {
                return 16;
            }

            @Override
            public int threads() {
                return 1;
            }
        });
        LayerInfo layer = new LayerInfo(0, info.layers(), info.heads(), info.kvHeads(), info.headDim());
        int[] parents = {-1, 0, 0, 1};
        int[] positions = {0, 1, 2, 3, 4, 4, 5};
        SyntheticAttentionCall call = new SyntheticAttentionCall(layer, new SequenceId(1), AttentionPhase.VERIFY,
                new AttentionMask.Tree(3, parents), parents.length, 7, positions, 7);
        try {
            backend.attend(call);
            return null;
        } catch (RuntimeException e) {
            return e;
        } finally {
            backend.release(new SequenceId(1), dev.gantry.spi.ReleaseReason.FINISHED);
        }
    }

    /** The plugin's factory, creating recorded backends. */
    private record Recording(AttentionBackendFactory factory, AtomicReference<RecordingAttention> created)
            implements AttentionBackendFactory {

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
        public AttentionBackend create(PluginConfig config, AttentionBackendContext context) {
            AttentionBackend backend = factory.create(config, context);
            RecordingAttention r = new RecordingAttention(backend, toleranceFor(backend.approximation()));
            created.set(r);
            return r;
        }
    }
}
