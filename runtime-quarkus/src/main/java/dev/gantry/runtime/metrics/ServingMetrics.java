package dev.gantry.runtime.metrics;

import dev.gantry.engine.loop.LoopStats;
import dev.gantry.engine.sample.FinishReason;
import dev.gantry.runtime.config.EngineSettings;
import dev.gantry.runtime.config.GantryConfig;
import dev.gantry.runtime.serving.DemoModel;
import dev.gantry.runtime.serving.ServiceLifecycle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The serving metrics, named and meant as vLLM's so that its dashboards and autoscalers work on Gantry:
 * {@code <prefix>:num_requests_running}, {@code <prefix>:time_to_first_token_seconds}, ... with
 * {@code <prefix>} from {@code gantry.metrics.prefix} and a {@code model_name} tag.
 *
 * <p>Counters the engine keeps (tokens, preemptions, prefix-cache and speculation counts) are read from its
 * {@link LoopStats} when scraped; latencies are recorded here from each request's token stream.
 */
@Singleton
@Startup
public class ServingMetrics {

    // Bucket bounds in seconds: from sub-millisecond steps of a small model on a CPU to minutes of a long request.
    private static final double[] FIRST_TOKEN_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5,
            0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640};
    private static final double[] INTER_TOKEN_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15,
            0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80};
    private static final double[] REQUEST_BUCKETS = {0.01, 0.05, 0.1, 0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20,
            30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680};

    @Inject
    MeterRegistry registry;

    @Inject
    GantryConfig config;

    @Inject
    ServiceLifecycle lifecycle;

    private String prefix;
    private Tags tags;
    private Timer timeToFirstToken;
    private Timer interTokenLatency;
    private Timer endToEnd;
    private Timer queueTime;
    private final Map<FinishReason, Counter> successes = new EnumMap<>(FinishReason.class);

    @PostConstruct
    void register() {
        prefix = config.metrics().prefix() + ":";
        tags = Tags.of("model_name", EngineSettings.modelName(config, DemoModel.NAME));

        gauge("num_requests_running", "Requests holding KV on the device now", s -> s.running());
        gauge("num_requests_waiting", "Requests waiting for admission now", s -> s.waiting());
        gauge("kv_cache_usage_perc", "Fraction of KV blocks in use (1 = full)", LoopStats::kvUsage);
        counter("prompt_tokens", "Prompt tokens of finished requests", LoopStats::promptTokens);
        counter("generation_tokens", "Generated tokens", LoopStats::generatedTokens);
        counter("num_preemptions", "Sequences preempted (swap or recompute)", LoopStats::preemptions);
        counter("prefix_cache_queries", "Prompt tokens looked up in the prefix cache", LoopStats::prefixQueries);
        counter("prefix_cache_hits", "Prompt tokens found in the prefix cache", LoopStats::prefixHits);
        counter("spec_decode_num_draft_tokens", "Draft tokens proposed by the speculator", LoopStats::draftTokens);
        counter("spec_decode_num_accepted_tokens", "Draft tokens accepted", LoopStats::acceptedTokens);

        timeToFirstToken = timer("time_to_first_token", "From arrival to the first generated token",
                FIRST_TOKEN_BUCKETS);
        interTokenLatency = timer("inter_token_latency", "Between successive generated tokens of a request",
                INTER_TOKEN_BUCKETS);
        endToEnd = timer("e2e_request_latency", "From arrival to the end of a request", REQUEST_BUCKETS);
        queueTime = timer("request_queue_time", "From arrival until the request first ran in an engine step",
                REQUEST_BUCKETS);
        for (FinishReason reason : FinishReason.values()) {
            successes.put(reason, Counter.builder(prefix + "request_success")
                    .description("Finished requests by finish reason").tags(tags)
                    .tag("finished_reason", reason.wireName()).register(registry));
        }
    }

    /** Starts timing one choice of a request that arrived at {@code arrivalNanos} ({@link System#nanoTime()}). */
    public ChoiceRecorder choice(long arrivalNanos) {
        return new ChoiceRecorder(arrivalNanos);
    }

    /** Records how long a request waited before it first ran in an engine step. */
    public void recordQueueTime(long nanos) {
        queueTime.record(Duration.ofNanos(Math.max(0, nanos)));
    }

    /** Times one choice from its token stream; called on the engine's delivery thread, one event at a time. */
    public final class ChoiceRecorder {
        private final long arrivalNanos;
        private long lastTokenNanos;

        private ChoiceRecorder(long arrivalNanos) {
            this.arrivalNanos = arrivalNanos;
        }

        /** {@code tokens} new tokens arrived now. */
        public void onTokens(int tokens) {
            if (tokens <= 0) {
                return;
            }
            long now = System.nanoTime();
            if (lastTokenNanos == 0) {
                timeToFirstToken.record(Duration.ofNanos(now - arrivalNanos));
            } else {
                // Several tokens in one event (accepted drafts) share the interval since the last event.
                long each = (now - lastTokenNanos) / tokens;
                for (int i = 0; i < tokens; i++) {
                    interTokenLatency.record(Duration.ofNanos(each));
                }
            }
            lastTokenNanos = now;
        }

        /** The choice ended. */
        public void onFinished(FinishReason reason) {
            endToEnd.record(Duration.ofNanos(System.nanoTime() - arrivalNanos));
            successes.get(reason).increment();
        }
    }

    private void gauge(String name, String description, ToDoubleFunction<LoopStats> value) {
        Gauge.builder(prefix + name, this, m -> m.stat(value)).description(description).tags(tags).register(registry);
    }

    private void counter(String name, String description, ToDoubleFunction<LoopStats> value) {
        FunctionCounter.builder(prefix + name, this, m -> m.stat(value)).description(description).tags(tags)
                .register(registry);
    }

    private Timer timer(String name, String description, double[] bucketsSeconds) {
        Duration[] buckets = Arrays.stream(bucketsSeconds).mapToObj(s -> Duration.ofNanos((long) (s * 1e9)))
                .toArray(Duration[]::new);
        return Timer.builder(prefix + name).description(description).tags(tags).serviceLevelObjectives(buckets)
                .register(registry);
    }

    private double stat(ToDoubleFunction<LoopStats> value) {
        return lifecycle.served().map(m -> value.applyAsDouble(m.engine().stats())).orElse(0.0);
    }
}
