package dev.gantry.runtime.kafka;

import dev.gantry.runtime.config.GantryConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the service's topics when it starts in a Kafka mode, before its consumers subscribe: the five of
 * {@code gantry.kafka.topics.*} with {@code gantry.kafka.partitions} partitions, and the answered-request state
 * topic, compacted. Topics that exist are left as they are.
 */
@ApplicationScoped
public class KafkaTopics {

    private static final Logger LOG = Logger.getLogger(KafkaTopics.class);

    @Inject
    GantryConfig config;

    // Before the messaging channels start (LIBRARY_BEFORE), so consumers find the topics with their settings.
    void onStart(@Observes @Priority(0) StartupEvent event) throws InterruptedException {
        if (config.kafka().mode() == GantryConfig.KafkaMode.DISABLED) {
            return;
        }
        String servers = ConfigProvider.getConfig().getOptionalValue("kafka.bootstrap.servers", String.class)
                .orElseThrow(() -> new ConfigurationException("Gantry cannot start: gantry.kafka.mode=external needs"
                        + " gantry.kafka.bootstrap-servers (or kafka.bootstrap.servers)"));
        LOG.infof("Kafka (%s) at %s", config.kafka().mode().name().toLowerCase(), servers);
        GantryConfig.Kafka.Topics t = config.kafka().topics();
        Optional<Integer> partitions = Optional.of(config.kafka().partitions());
        List<NewTopic> topics = new ArrayList<>();
        for (String name : Set.of(t.requests(), t.responses(), t.preemption(), t.checkpoints(), t.dlq())) {
            topics.add(new NewTopic(name, partitions, Optional.empty()));
        }
        topics.add(new NewTopic(t.state(), partitions, Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(90, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new ConfigurationException("Gantry cannot start: creating topic " + topic.name()
                                + " at " + servers + " failed: " + e.getCause().getMessage());
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new ConfigurationException("Gantry cannot start: no Kafka broker answered at " + servers
                            + " within 90 s (gantry.kafka.mode=" + config.kafka().mode().name().toLowerCase() + ")");
                }
            }
        }
    }
}
