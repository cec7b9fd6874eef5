package dev.gantry.runtime.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request ids this group has answered or moved, kept in a compacted topic ({@code gantry.kafka.topics.state})
 * keyed by request id: {@code {"status":"done"}} once the final response is written, {@code {"status":"moved",
 * "handover":n}} once the request's checkpoint is. Every replica reads the whole topic from the start (its own
 * consumer group) before it takes requests, and keeps reading it, so a redelivered request, a client's retry or a
 * stale checkpoint is recognised wherever it lands.
 */
@ApplicationScoped
public class AnsweredRequests {

    /**
     * What the group knows of a request.
     *
     * @param done     whether its final response is written
     * @param handover how many times it moved (0 when never)
     */
    record Mark(boolean done, int handover) {
    }

    @Inject
    Outbox outbox;

    @Inject
    ChannelAssignments assignments;

    private final Map<String, Mark> marks = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> read = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;

    /** What is known of request {@code id}. */
    Optional<Mark> mark(String id) {
        return Optional.ofNullable(marks.get(id));
    }

    /** Records that request {@code id} is answered; completes once the record is written. */
    CompletableFuture<Void> markDone(String id) {
        marks.put(id, new Mark(true, marks.getOrDefault(id, new Mark(false, 0)).handover()));
        return outbox.state(id, "{\"status\":\"done\"}");
    }

    /** Records that request {@code id} moved for the {@code handover}-th time. */
    CompletableFuture<Void> markMoved(String id, int handover) {
        marks.merge(id, new Mark(false, handover), (old, now) -> old.done() ? old : now);
        return outbox.state(id, "{\"status\":\"moved\",\"handover\":" + handover + "}");
    }

    /** Whether every record written before this replica started has been read. */
    boolean caughtUp() {
        if (caughtUp) {
            return true;
        }
        if (!assignments.isAssigned(Channels.STATE_IN)) {
            return false;
        }
        for (Map.Entry<TopicPartition, Long> end : assignments.stateEnds().entrySet()) {
            if (end.getValue() > 0 && read.getOrDefault(end.getKey(), -1L) < end.getValue() - 1) {
                return false;
            }
        }
        caughtUp = true;
        return true;
    }

    @Incoming(Channels.STATE_IN)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    CompletionStage<Void> onState(Message<String> message) {
        message.getMetadata(IncomingKafkaRecordMetadata.class).ifPresent(m -> {
            Object key = m.getKey();
            if (key != null && message.getPayload() != null) {
                apply(key.toString(), message.getPayload());
            }
            read.merge(new TopicPartition(m.getTopic(), m.getPartition()), m.getOffset(), Math::max);
        });
        return message.ack();
    }

    private void apply(String id, String json) {
        try {
            JsonNode node = RequestReader.JSON.readTree(json);
            boolean done = "done".equals(node.path("status").asText());
            int handover = node.path("handover").asInt(0);
            marks.merge(id, new Mark(done, handover),
                    (old, now) -> new Mark(old.done() || now.done(), Math.max(old.handover(), now.handover())));
        } catch (Exception e) {
            // Not ours to judge: an unreadable state record is ignored.
        }
    }
}
