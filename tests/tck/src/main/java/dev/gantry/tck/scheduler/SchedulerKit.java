package dev.gantry.tck.scheduler;

import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.plugin.PluginSelection;
import dev.gantry.spi.ConfigKey;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.scheduler.Scheduler;
import dev.gantry.spi.scheduler.SchedulerContext;
import dev.gantry.spi.scheduler.SchedulerFactory;
import dev.gantry.tck.KitModel;
import dev.gantry.tck.KitRequest;
import dev.gantry.tck.PluginUnderTest;
import dev.gantry.tck.internal.EngineSession;
import dev.gantry.tck.internal.RetainedSequences;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A scheduler under test and the run to put it through, built fluently and run with {@link #run()}:
 *
 * <pre>{@code
 * SchedulerRun run = GantryTck.scheduler("fcfs")
 *         .config("fcfs.preemption-mode", "swap")
 *         .workload(KitRequest.stories(16, 40))
 *         .kvBlocks(32).hostSwapBlocks(256)
 *         .run();
 * run.assertNo(Violation.Kind.KV_BUDGET).assertEveryRequestFinished();
 * }</pre>
 *
 * <p>Each {@code run()} opens a real engine on the kit's model ({@link KitModel}) with the plugin's scheduler
 * (recorded) and the bundled implementations of the other extension points. Instances are immutable: every
 * method returns a new kit.
 */
public final class SchedulerKit {

    /** Tokens per KV block in every kit run (Gantry's default). */
    public static final int BLOCK_SIZE = 16;

    private final PluginUnderTest<SchedulerFactory> subject;
    private final Map<SchedulerBehavior, Map<String, String>> behaviors;
    private final List<KitRequest> workload;
    private final int kvBlocks;
    private final int hostSwapBlocks;
    private final int maxStepTokens;
    private final int maxSequences;

    private SchedulerKit(PluginUnderTest<SchedulerFactory> subject,
                         Map<SchedulerBehavior, Map<String, String>> behaviors, List<KitRequest> workload,
                         int kvBlocks, int hostSwapBlocks, int maxStepTokens, int maxSequences) {
        this.subject = subject;
        this.behaviors = behaviors;
        this.workload = List.copyOf(workload);
        this.kvBlocks = kvBlocks;
        this.hostSwapBlocks = hostSwapBlocks;
        this.maxStepTokens = maxStepTokens;
        this.maxSequences = maxSequences;
    }

    /** Used by {@code GantryTck}. */
    public static SchedulerKit of(PluginUnderTest<SchedulerFactory> subject) {
        return new SchedulerKit(subject, new EnumMap<>(SchedulerBehavior.class), KitRequest.stories(16, 40), 0, 0,
                48, 16);
    }

    private SchedulerKit copy(PluginUnderTest<SchedulerFactory> s, Map<SchedulerBehavior, Map<String, String>> b,
                              List<KitRequest> w, int kv, int host, int tokens, int sequences) {
        return new SchedulerKit(s, b, w, kv, host, tokens, sequences);
    }

    /** The plugin's scheduler with one more setting (relative to the plugin's namespace). */
    public SchedulerKit config(String key, String value) {
        return copy(subject.with(key, value), behaviors, workload, kvBlocks, hostSwapBlocks, maxStepTokens,
                maxSequences);
    }

    /** Declares a behaviour the scheduler has with its current settings. */
    public SchedulerKit behaves(SchedulerBehavior behavior) {
        return behaves(behavior, Map.of());
    }

    /** Declares a behaviour the scheduler has when these settings are added (relative keys). */
    public SchedulerKit behaves(SchedulerBehavior behavior, Map<String, String> settings) {
        Map<SchedulerBehavior, Map<String, String>> copy = new EnumMap<>(SchedulerBehavior.class);
        copy.putAll(behaviors);
        copy.put(behavior, Map.copyOf(settings));
        return copy(subject, copy, workload, kvBlocks, hostSwapBlocks, maxStepTokens, maxSequences);
    }

    /** The requests to run, all submitted at once (default: {@code KitRequest.stories(16, 40)}). */
    public SchedulerKit workload(List<KitRequest> requests) {
        return copy(subject, behaviors, requests, kvBlocks, hostSwapBlocks, maxStepTokens, maxSequences);
    }

    /** The device KV budget, in blocks of {@value #BLOCK_SIZE} tokens; 0 (the default) for Gantry's default. */
    public SchedulerKit kvBlocks(int blocks) {
        return copy(subject, behaviors, workload, blocks, hostSwapBlocks, maxStepTokens, maxSequences);
    }

    /** The host swap pool, in blocks; 0 (the default) for none. */
    public SchedulerKit hostSwapBlocks(int blocks) {
        return copy(subject, behaviors, workload, kvBlocks, blocks, maxStepTokens, maxSequences);
    }

    /** The step's token limit, which is also the longest prefill chunk (default 48). */
    public SchedulerKit maxStepTokens(int tokens) {
        return copy(subject, behaviors, workload, kvBlocks, hostSwapBlocks, tokens, maxSequences);
    }

    /** The step's sequence limit (default 16). */
    public SchedulerKit maxSequences(int sequences) {
        return copy(subject, behaviors, workload, kvBlocks, hostSwapBlocks, maxStepTokens, sequences);
    }

    /** The kit with the settings a declared behaviour needs added. */
    public SchedulerKit showing(SchedulerBehavior behavior) {
        Map<String, String> settings = behaviors.getOrDefault(behavior, Map.of());
        return copy(subject.with(settings), behaviors, workload, kvBlocks, hostSwapBlocks, maxStepTokens,
                maxSequences);
    }

    /** The behaviours declared. */
    public Set<SchedulerBehavior> behaviors() {
        return behaviors.isEmpty() ? Set.of() : Set.copyOf(behaviors.keySet());
    }

    /** The scheduler under test. */
    public PluginUnderTest<SchedulerFactory> subject() {
        return subject;
    }

    /** The workload. */
    public List<KitRequest> workload() {
        return workload;
    }

    /** Runs the workload through a real engine and returns what happened. */
    public SchedulerRun run() {
        KitModel model = KitModel.get();
        long tokens = workload.stream().mapToLong(r -> r.prompt().length() + 2L + r.maxTokens()).sum();
        long maxSteps = 10 * tokens + 1000;
        AtomicReference<RecordingScheduler> created = new AtomicReference<>();
        var registry = subject.registry(factory -> new Recording(factory, created, maxSteps));
        long bytesPerBlock = model.f32KvBytesPerToken() * BLOCK_SIZE;
        EngineOptions options = EngineSession.defaultOptions()
                .withPlugins(PluginSelection.fromProperties(subject.properties()))
                .withBlockSize(BLOCK_SIZE).withMaxChunkTokens(maxStepTokens).withMaxSequences(maxSequences)
                .withHostSwap(hostSwapBlocks * bytesPerBlock);
        if (kvBlocks > 0) {
            options = options.withKvBudget(kvBlocks * bytesPerBlock);
        }
        String label = subject + " " + subject.settings() + (kvBlocks > 0 ? " with " + kvBlocks + " KV blocks" : "")
                + (hostSwapBlocks > 0 ? " and " + hostSwapBlocks + " host blocks" : "");
        EngineSession.Outcome outcome;
        try (EngineSession session = EngineSession.open(model, options, registry)) {
            outcome = session.runAll(workload.stream().map(KitRequest::toRequest).toList(),
                    () -> created.get() == null ? null : created.get().stalled());
        }
        RecordingScheduler recorder = created.get();
        List<SchedulerRun.RequestOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < workload.size(); i++) {
            var c = outcome.completions().get(i);
            outcomes.add(new SchedulerRun.RequestOutcome(workload.get(i), c.sequence(), c.result(), c.failure()));
        }
        Set<SequenceId> retained = RetainedSequences.reachableFrom(recorder.delegate());
        return new SchedulerRun(label, recorder.delegate().name(), recorder.events(), recorder.violations(),
                outcomes, outcome.abandoned(), recorder.steps(), outcome.stats(), retained);
    }

    /** The plugin's factory, creating recorded schedulers. */
    private record Recording(SchedulerFactory factory, AtomicReference<RecordingScheduler> created, long maxSteps)
            implements SchedulerFactory {

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
        public Scheduler create(PluginConfig config, SchedulerContext context) {
            RecordingScheduler r = new RecordingScheduler(factory.create(config, context), maxSteps);
            created.set(r);
            return r;
        }
    }
}
