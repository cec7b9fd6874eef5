package dev.gantry.runtime.kafka;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns the {@code gantry.kafka.*} settings into the SmallRye Kafka connector's: which channels exist at all
 * (none when {@code gantry.kafka.mode=disabled}, so REST-only deployments start no Kafka client and log no
 * reconnects), the bootstrap servers of each mode, topic names, consumer groups and session timeouts. Operators
 * set only {@code gantry.*} keys; an explicit {@code mp.messaging.*} or {@code kafka.*} key still wins, as this
 * source ranks below system properties and environment variables.
 */
public final class KafkaChannelSettings implements ConfigSourceFactory {

    /** Ranks above application.properties (250), below environment variables (300). */
    static final int ORDINAL = 275;

    /** The incoming channels: requests, checkpoints, preemption events, answered-request state. */
    static final List<String> INCOMING = List.of(Channels.REQUESTS, Channels.CHECKPOINTS_IN, Channels.PREEMPTION,
            Channels.STATE_IN);

    /** The outgoing channels. */
    static final List<String> OUTGOING = List.of(Channels.RESPONSES, Channels.CHECKPOINTS_OUT, Channels.DLQ,
            Channels.STATE_OUT);

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String mode = value(context, "gantry.kafka.mode", "disabled").toLowerCase();
        boolean enabled = mode.equals("embedded") || mode.equals("external");
        Map<String, String> p = new HashMap<>();
        for (String channel : INCOMING) {
            p.put("mp.messaging.incoming." + channel + ".enabled", String.valueOf(enabled));
        }
        for (String channel : OUTGOING) {
            p.put("mp.messaging.outgoing." + channel + ".enabled", String.valueOf(enabled));
        }
        if (enabled) {
            String servers = mode.equals("embedded")
                    ? "127.0.0.1:" + value(context, "gantry.kafka.embedded.port", "9092")
                    : value(context, "gantry.kafka.bootstrap-servers", value(context, "kafka.bootstrap.servers", ""));
            if (!servers.isBlank()) {
                p.put("kafka.bootstrap.servers", servers);
            }
            String topics = "gantry.kafka.topics.";
            p.put(in(Channels.REQUESTS, "topic"), value(context, topics + "requests", "gantry.requests"));
            p.put(out(Channels.RESPONSES, "topic"), value(context, topics + "responses", "gantry.responses"));
            p.put(in(Channels.PREEMPTION, "topic"), value(context, topics + "preemption", "gantry.preemption"));
            p.put(in(Channels.CHECKPOINTS_IN, "topic"), value(context, topics + "checkpoints", "gantry.checkpoints"));
            p.put(out(Channels.CHECKPOINTS_OUT, "topic"), value(context, topics + "checkpoints", "gantry.checkpoints"));
            p.put(out(Channels.DLQ, "topic"), value(context, topics + "dlq", "gantry.dlq"));
            p.put(in(Channels.STATE_IN, "topic"), value(context, topics + "state", "gantry.state"));
            p.put(out(Channels.STATE_OUT, "topic"), value(context, topics + "state", "gantry.state"));

            // Replicas share requests and checkpoints; every replica sees every preemption event and all state.
            String group = value(context, "gantry.kafka.group-id", "gantry");
            String unique = InstanceId.of(value(context, "gantry.instance-id", null)) + "-" + UUID.randomUUID();
            p.put(in(Channels.REQUESTS, "group.id"), group);
            // Its own group: a consumer joining or leaving one group must not revoke the other's partitions.
            p.put(in(Channels.CHECKPOINTS_IN, "group.id"), group + "-checkpoints");
            p.put(in(Channels.PREEMPTION, "group.id"), group + "-preemption-" + unique);
            p.put(in(Channels.STATE_IN, "group.id"), group + "-state-" + unique);

            // A replica that vanishes must not hold its partitions for the default 45 s.
            long session = DurationConverter.parseDuration(value(context, "gantry.kafka.session-timeout", "10s"))
                    .toMillis();
            for (String channel : INCOMING) {
                p.put(in(channel, "session.timeout.ms"), String.valueOf(session));
                p.put(in(channel, "heartbeat.interval.ms"), String.valueOf(Math.max(500, session / 5)));
            }
        }
        return List.of(new PropertiesConfigSource(p, "gantry-kafka-channels", ORDINAL));
    }

    private static String in(String channel, String attribute) {
        return "mp.messaging.incoming." + channel + "." + attribute;
    }

    private static String out(String channel, String attribute) {
        return "mp.messaging.outgoing." + channel + "." + attribute;
    }

    private static String value(ConfigSourceContext context, String key, String fallback) {
        ConfigValue v = context.getValue(key);
        return v == null || v.getValue() == null ? fallback : v.getValue();
    }
}
