package dev.gantry.runtime.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The service in {@code external} Kafka mode against the in-process test broker, serving stories260K. */
public class KafkaProfile implements QuarkusTestProfile {

    /** This replica's instance id in preemption events. */
    public static final String INSTANCE = "kafka-test-replica";

    /** The prompt limit, so that an oversize prompt is easy to write. */
    public static final int MAX_PROMPT_TOKENS = 64;

    /** The engine's waiting queue. */
    public static final int MAX_WAITING = 4;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> settings = new HashMap<>(Map.of("gantry.instance-id", INSTANCE,
                "gantry.limits.max-prompt-tokens", String.valueOf(MAX_PROMPT_TOKENS),
                "gantry.kafka.session-timeout", "6s", "gantry.kafka.checkpoint-margin", "0s",
                // A short waiting queue: 50 requests at once only pass through back-pressure, never a 429-like refusal.
                "gantry.queue.max-waiting", String.valueOf(MAX_WAITING)));
        SharedAssets.stories260K().ifPresent(p -> settings.put("gantry.model.path", p.toString()));
        return settings;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaTestKitResource.class));
    }
}
