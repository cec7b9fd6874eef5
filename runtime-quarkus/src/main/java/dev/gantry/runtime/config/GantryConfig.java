package dev.gantry.runtime.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Every {@code gantry.*} setting of the service, read through MicroProfile Config: from
 * {@code config/application.properties}, system properties ({@code -Dgantry.kv.budget=512M}) or environment
 * variables ({@code GANTRY_KV_BUDGET=512M}). Values are checked once at start-up by {@link StartupValidation}.
 *
 * <p>The engine and the plugins never see this interface: {@link EngineSettings} turns it into the engine's
 * plain options, and plugin settings reach their plugin as strings.
 */
@ConfigMapping(prefix = "gantry")
public interface GantryConfig {

    /**
     * The model to serve.
     */
    Model model();

    /**
     * The scheduler implementation, by name ({@code gantry.scheduler}); any installed plugin's scheduler.
     */
    @WithDefault("fcfs")
    String scheduler();

    /**
     * The speculator implementation, by name ({@code gantry.speculator}); {@code none} decodes one token per step.
     */
    @WithDefault("none")
    String speculator();

    /**
     * The attention backend, by name ({@code gantry.attention}).
     */
    @WithDefault("dense")
    String attention();

    /**
     * The KV codec, by name ({@code gantry.kv-codec}): how KV blocks are stored.
     */
    @WithDefault("f32")
    String kvCodec();

    /**
     * The parallel planner, by name ({@code gantry.planner}).
     */
    @WithDefault("single-instance")
    String planner();

    /**
     * Each plugin's own settings, {@code gantry.plugin.<plugin>.<key>=value}; handed to the plugin as strings.
     * Keys with dots in them come from properties files or {@code -D}; environment variables cannot spell them
     * unambiguously.
     */
    Map<String, Map<String, String>> plugin();

    /**
     * A directory of third-party plugin jars, loaded beside the bundled plugins ({@code gantry.plugin-path}).
     */
    Optional<Path> pluginPath();

    /**
     * Where the model runs ({@code gantry.device}): {@code auto} (a CUDA GPU when one is usable, else the CPU),
     * {@code cpu}, or {@code cuda[:N]} (fails start-up when that GPU is not usable).
     */
    @WithDefault("auto")
    String device();

    /**
     * Compute threads ({@code gantry.threads}); every available core when unset.
     */
    OptionalInt threads();

    /**
     * The KV cache.
     */
    Kv kv();

    /**
     * The waiting queue in front of the engine.
     */
    Queue queue();

    /**
     * Request limits answered with clear 4xx errors.
     */
    Limits limits();

    /**
     * Accepted API keys ({@code gantry.api-keys}, comma-separated). When set, every {@code /v1}, {@code /tokenize}
     * and {@code /detokenize} request needs {@code Authorization: Bearer <key>}; health, metrics and OpenAPI stay
     * open.
     */
    Optional<List<String>> apiKeys();

    /**
     * How long running requests may take to finish after SIGTERM ({@code gantry.drain-timeout}); new requests get 503
     * meanwhile.
     */
    @WithDefault("30s")
    Duration drainTimeout();

    /**
     * This instance's id ({@code gantry.instance-id}), as preemption events name it; the host name when unset.
     */
    Optional<String> instanceId();

    /**
     * Metrics.
     */
    Metrics metrics();

    /**
     * Kafka: requests in, token streams out, preemption notices and checkpoints between replicas.
     */
    Kafka kafka();

    /** The served model. */
    interface Model {

        /**
         * The GGUF file ({@code gantry.model.path}); when unset a small demo model with random weights is written and
         * served.
         */
        Optional<Path> path();

        /**
         * The model's id in the API ({@code gantry.model.name}); the file's base name without {@code .gguf} when unset.
         */
        Optional<String> name();
    }

    /** The paged KV cache. */
    interface Kv {

        /**
         * Memory for KV blocks ({@code gantry.kv.budget}), with a size suffix: {@code 512M}, {@code 4G}.
         */
        @WithDefault("256M")
        MemorySize budget();

        /**
         * Tokens per KV block ({@code gantry.kv.block-size}).
         */
        @WithDefault("16")
        int blockSize();
    }

    /** The admission queue. */
    interface Queue {

        /**
         * Requests that may wait for admission ({@code gantry.queue.max-waiting}); beyond it requests get 429 with
         * Retry-After.
         */
        @WithDefault("1024")
        int maxWaiting();
    }

    /** Request limits. */
    interface Limits {

        /**
         * The longest prompt accepted, in tokens ({@code gantry.limits.max-prompt-tokens}); the model's context when
         * unset.
         */
        OptionalInt maxPromptTokens();

        /**
         * The largest {@code max_tokens} a request may ask for ({@code gantry.limits.max-tokens}); the model's context
         * when unset.
         */
        OptionalInt maxTokens();

        /**
         * The largest request body ({@code gantry.limits.max-body-bytes}), with a size suffix; larger bodies get 413.
         */
        @WithDefault("1M")
        MemorySize maxBodyBytes();
    }

    /** Metrics naming. */
    interface Metrics {

        /**
         * The prefix of the serving metrics ({@code gantry.metrics.prefix}): {@code gantry:num_requests_running};
         * {@code vllm} makes existing vLLM dashboards and autoscalers work unchanged.
         */
        @WithDefault("gantry")
        String prefix();
    }

    /** Kafka channels. */
    interface Kafka {

        /**
         * {@code embedded}, {@code external} or {@code disabled} ({@code gantry.kafka.mode}). In {@code embedded} the
         * service reaches the broker {@code ./gantry serve} started on 127.0.0.1:{@code gantry.kafka.embedded.port};
         * in {@code external} the one at {@code gantry.kafka.bootstrap-servers} (or {@code kafka.bootstrap.servers});
         * {@code disabled} serves REST only and starts no Kafka client at all.
         */
        @WithDefault("disabled")
        KafkaMode mode();

        /**
         * The brokers of {@code external} mode ({@code gantry.kafka.bootstrap-servers}, {@code host:port,...}); when
         * unset, {@code kafka.bootstrap.servers} is used.
         */
        Optional<String> bootstrapServers();

        /**
         * The consumer group of the replicas that share requests and checkpoints ({@code gantry.kafka.group-id}).
         */
        @WithDefault("gantry")
        String groupId();

        /**
         * Partitions of the topics the service creates at start-up ({@code gantry.kafka.partitions}); at least the
         * number of replicas that should share the work.
         */
        @WithDefault("4")
        int partitions();

        /**
         * How long a replica may go silent before the group hands its partitions to the others
         * ({@code gantry.kafka.session-timeout}); the broker allows 6 s to 30 min.
         */
        @WithDefault("10s")
        Duration sessionTimeout();

        /**
         * The part of a preemption notice's grace period kept in reserve for writing checkpoints
         * ({@code gantry.kafka.checkpoint-margin}): requests still running when only this much is left are moved.
         */
        @WithDefault("2s")
        Duration checkpointMargin();

        /**
         * Topic names.
         */
        Topics topics();

        /**
         * The embedded broker.
         */
        Embedded embedded();

        /** The topics the service reads and writes ({@code gantry.kafka.topics.*}). */
        interface Topics {

            /** Requests in ({@code gantry.kafka.topics.requests}). */
            @WithDefault("gantry.requests")
            String requests();

            /** Token chunks and final messages out, keyed by request id ({@code gantry.kafka.topics.responses}). */
            @WithDefault("gantry.responses")
            String responses();

            /** Spot-interruption notices and restores ({@code gantry.kafka.topics.preemption}). */
            @WithDefault("gantry.preemption")
            String preemption();

            /** Progress of requests moving between replicas ({@code gantry.kafka.topics.checkpoints}). */
            @WithDefault("gantry.checkpoints")
            String checkpoints();

            /** Messages that cannot be processed ({@code gantry.kafka.topics.dlq}). */
            @WithDefault("gantry.dlq")
            String dlq();

            /**
             * The compacted record of request ids that were answered or moved ({@code gantry.kafka.topics.state}),
             * which keeps a redelivered or repeated request from being answered twice.
             */
            @WithDefault("gantry.state")
            String state();
        }

        /** The single-node broker {@code ./gantry serve} starts beside the service. */
        interface Embedded {

            /**
             * Its port on 127.0.0.1 ({@code gantry.kafka.embedded.port}).
             */
            @WithDefault("9092")
            int port();
        }
    }

    /** How the service reaches Kafka. */
    enum KafkaMode {
        /** A broker the launcher starts on this machine. */
        EMBEDDED,
        /** A broker at {@code gantry.kafka.bootstrap-servers} (or {@code kafka.bootstrap.servers}). */
        EXTERNAL,
        /** REST only. */
        DISABLED
    }
}
