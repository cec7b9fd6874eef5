package dev.gantry.runtime.kafka;

import dev.gantry.runtime.config.GantryConfig;
import dev.gantry.runtime.rest.RequestAdmission;
import dev.gantry.runtime.serving.ServedModel;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Takes requests from {@code gantry.requests}, one message at a time: a bad one goes to the dead-letter topic, a
 * repeated id is acknowledged without a second answer, a good one is submitted to the engine once the replica's
 * gate opens ({@link KafkaReplica#awaitAdmission}). The returned stage completes when the message is dealt
 * with here; its offset is committed when it is acknowledged, after its final response is written.
 */
@ApplicationScoped
public class RequestConsumer {

    private static final Logger LOG = Logger.getLogger(RequestConsumer.class);

    @Inject
    KafkaReplica replica;

    @Inject
    AnsweredRequests answered;

    @Inject
    RequestAdmission admission;

    @Inject
    Outbox outbox;

    @Inject
    GantryConfig config;

    // One thread: requests are admitted in the order they arrive, and waiting for room blocks only this channel.
    private final ExecutorService admitter = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("gantry-kafka-requests").daemon().factory());

    @Incoming(Channels.REQUESTS)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    CompletionStage<Void> onRequest(Message<String> message) {
        return CompletableFuture.runAsync(() -> take(message), admitter);
    }

    private void take(Message<String> message) {
        String key = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getKey() == null ? null : m.getKey().toString()).orElse(null);
        String payload = message.getPayload();
        try {
            KafkaRequest request = RequestReader.parse(payload);
            String id = request.id();
            if (id != null && (replica.isRunning(id) || answered.mark(id).isPresent())) {
                // A redelivery or a client's retry: the first copy is (being) answered.
                LOG.debugf("request %s: a duplicate; answered once", id);
                message.ack();
                return;
            }
            ServedModel model = replica.awaitAdmission();
            if (model == null) {
                return; // shutting down: left unacknowledged for the next replica
            }
            if (id != null && answered.mark(id).isPresent()) {
                message.ack();
                return;
            }
            AdmittedRequest admitted = RequestReader.admit(request, payload, model, admission,
                    config.kafka().topics().responses());
            replica.start(model, admitted, new int[0], "", 0, 0, message);
        } catch (InvalidRequestException e) {
            deadLetter(message, key, payload, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf(e, "request message at %s could not be processed", key);
            deadLetter(message, key, payload, "the service could not process it: " + e);
        }
    }

    private void deadLetter(Message<String> message, String key, String payload, String reason) {
        LOG.infof("request %s → dead-letter topic: %s", key, reason);
        outbox.deadLetter(key, payload, reason).thenCompose(v -> message.ack());
    }

    @PreDestroy
    void stop() {
        admitter.shutdownNow();
    }
}
