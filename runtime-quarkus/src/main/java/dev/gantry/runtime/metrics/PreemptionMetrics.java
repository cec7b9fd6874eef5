package dev.gantry.runtime.metrics;

import dev.gantry.runtime.config.EngineSettings;
import dev.gantry.runtime.config.GantryConfig;
import dev.gantry.runtime.serving.DemoModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Counters of SpotServe-style preemption over Kafka, with the serving metrics' prefix and {@code model_name} tag:
 * {@code <prefix>:preemption_notices_total} (notices for this instance), {@code <prefix>:checkpoints_written_total}
 * (requests handed over), {@code <prefix>:checkpoint_resumes_total} (requests resumed here) and
 * {@code <prefix>:checkpoint_tokens_recomputed_total} (prompt and generated tokens prefilled again to resume).
 */
@Singleton
public class PreemptionMetrics {

    @Inject
    MeterRegistry registry;

    @Inject
    GantryConfig config;

    private Counter notices;
    private Counter checkpoints;
    private Counter resumes;
    private Counter recomputed;

    @PostConstruct
    void register() {
        String prefix = config.metrics().prefix() + ":";
        Tags tags = Tags.of("model_name", EngineSettings.modelName(config, DemoModel.NAME));
        notices = Counter.builder(prefix + "preemption_notices").description("Preemption notices for this instance")
                .tags(tags).register(registry);
        checkpoints = Counter.builder(prefix + "checkpoints_written")
                .description("Running requests checkpointed to Kafka for another replica").tags(tags).register(registry);
        resumes = Counter.builder(prefix + "checkpoint_resumes").description("Requests resumed here from a checkpoint")
                .tags(tags).register(registry);
        recomputed = Counter.builder(prefix + "checkpoint_tokens_recomputed")
                .description("Prompt and generated tokens prefilled again to resume checkpointed requests").tags(tags)
                .register(registry);
    }

    /** A notice for this instance arrived. */
    public void notice() {
        notices.increment();
    }

    /** A checkpoint was written. */
    public void checkpointWritten() {
        checkpoints.increment();
    }

    /** A request was resumed, prefilling {@code tokens} tokens again. */
    public void resumed(int tokens) {
        resumes.increment();
        recomputed.increment(tokens);
    }
}
