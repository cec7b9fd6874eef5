package dev.gantry.runtime.kafka;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Everything the service writes to Kafka, through its outgoing channels: responses (to the request's reply topic),
 * checkpoints, dead letters and answered-request state. Each send completes once the broker has the record
 * (acks=all, idempotent producers), which is what lets offsets be committed only after the answer is written.
 */
@ApplicationScoped
class Outbox {

    /** The header that says why a message went to the dead-letter topic. */
    static final String DLQ_REASON = "gantry-dlq-reason";

    /** The header naming the replica that wrote a response (for operators; consumers need not read it). */
    static final String INSTANCE = "gantry-instance";

    // Sends are never dropped: the producer's own back-pressure (max in-flight) applies downstream.
    @Inject
    @Channel(Channels.RESPONSES)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<String> responses;

    @Inject
    @Channel(Channels.CHECKPOINTS_OUT)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<String> checkpoints;

    @Inject
    @Channel(Channels.DLQ)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<String> deadLetters;

    @Inject
    @Channel(Channels.STATE_OUT)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<String> state;

    /** A response message keyed by request id, on {@code topic}. */
    CompletableFuture<Void> response(String topic, String id, String json, String instance) {
        return send(responses, topic, id, json, -1, Map.of(INSTANCE, instance));
    }

    /** A checkpoint keyed by request id; {@code partition} -1 lets the key choose. */
    CompletableFuture<Void> checkpoint(String id, String json, int partition) {
        return send(checkpoints, null, id, json, partition, Map.of());
    }

    /** The original message, as it was, with the reason in {@value #DLQ_REASON}. */
    CompletableFuture<Void> deadLetter(String key, String payload, String reason) {
        return send(deadLetters, null, key, payload, -1, Map.of(DLQ_REASON, reason));
    }

    /** A state record for a request id. */
    CompletableFuture<Void> state(String id, String json) {
        return send(state, null, id, json, -1, Map.of());
    }

    private static CompletableFuture<Void> send(Emitter<String> emitter, String topic, String key, String value,
                                                int partition, Map<String, String> headers) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        RecordHeaders h = new RecordHeaders();
        headers.forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(h);
        if (topic != null) {
            metadata.withTopic(topic);
        }
        if (partition >= 0) {
            metadata.withPartition(partition);
        }
        Message<String> message = Message.of(value).addMetadata(metadata.build())
                .withAck(() -> {
                    written.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(t -> {
                    written.completeExceptionally(t);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        return written;
    }
}
