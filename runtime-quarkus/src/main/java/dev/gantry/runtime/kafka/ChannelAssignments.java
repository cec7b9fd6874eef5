package dev.gantry.runtime.kafka;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which partitions this replica's consumers hold, as the group's rebalances tell them. Readiness waits for the
 * request and preemption consumers to be assigned (so a request produced once the service is ready is never
 * missed); checkpoints are written to partitions this replica does not hold, so another replica resumes them.
 */
@ApplicationScoped
public class ChannelAssignments {

    private static final Logger LOG = Logger.getLogger(ChannelAssignments.class);

    private final Map<String, Set<TopicPartition>> assigned = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> stateEnds = new ConcurrentHashMap<>();

    /** Whether the channel's consumer has had its partitions assigned (possibly none, in a large group). */
    boolean isAssigned(String channel) {
        return assigned.containsKey(channel);
    }

    /** The partitions the channel's consumer holds now. */
    Set<TopicPartition> partitions(String channel) {
        return assigned.getOrDefault(channel, Set.of());
    }

    /** The end offsets of the state topic when this replica's state consumer was assigned. */
    Map<TopicPartition, Long> stateEnds() {
        return stateEnds;
    }

    @Produces
    @Identifier("gantry-requests")
    KafkaConsumerRebalanceListener requests() {
        return listener(Channels.REQUESTS);
    }

    @Produces
    @Identifier("gantry-checkpoints")
    KafkaConsumerRebalanceListener checkpoints() {
        return listener(Channels.CHECKPOINTS_IN);
    }

    @Produces
    @Identifier("gantry-preemption")
    KafkaConsumerRebalanceListener preemption() {
        return listener(Channels.PREEMPTION);
    }

    @Produces
    @Identifier("gantry-state")
    KafkaConsumerRebalanceListener state() {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                // What there is to read before this replica knows every answered id.
                stateEnds.putAll(consumer.endOffsets(partitions));
                assigned.put(Channels.STATE_IN, Set.copyOf(partitions));
            }
        };
    }

    private KafkaConsumerRebalanceListener listener(String channel) {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                assigned.put(channel, Set.copyOf(partitions));
                LOG.infof("%s: assigned %s", channel, partitions);
            }

            @Override
            public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                assigned.computeIfPresent(channel, (c, held) -> {
                    Set<TopicPartition> left = new HashSet<>(held);
                    left.removeAll(partitions);
                    return Set.copyOf(left);
                });
            }
        };
    }
}
