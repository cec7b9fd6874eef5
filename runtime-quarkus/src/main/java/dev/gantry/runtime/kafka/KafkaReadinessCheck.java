package dev.gantry.runtime.kafka;

import dev.gantry.runtime.config.GantryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the Kafka path: in a Kafka mode, up only once the request consumer has its partitions, the
 * preemption consumer is subscribed and every answered id is read, so a request produced after the service
 * reports ready is never missed; down while a preemption notice is in force. Always up in {@code disabled}.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    @Inject
    GantryConfig config;

    @Inject
    ChannelAssignments assignments;

    @Inject
    AnsweredRequests answered;

    @Inject
    KafkaReplica replica;

    @Override
    public HealthCheckResponse call() {
        if (config.kafka().mode() == GantryConfig.KafkaMode.DISABLED) {
            return HealthCheckResponse.named("gantry-kafka").up().withData("mode", "disabled").build();
        }
        boolean requests = assignments.isAssigned(Channels.REQUESTS);
        boolean preemption = assignments.isAssigned(Channels.PREEMPTION);
        boolean state = answered.caughtUp();
        return HealthCheckResponse.named("gantry-kafka")
                .status(requests && preemption && state && !replica.preempted())
                .withData("mode", config.kafka().mode().name().toLowerCase())
                .withData("requests-partitions", assignments.partitions(Channels.REQUESTS).toString())
                .withData("answered-ids-read", state)
                .withData("preempted", replica.preempted())
                .build();
    }
}
