package dev.gantry.runtime.kafka;

import dev.gantry.runtime.config.GantryConfig;
import dev.gantry.runtime.metrics.PreemptionMetrics;
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
 * Resumes requests another replica handed over: the checkpoint's prompt and generated tokens are prefilled, the
 * sampler continues at the checkpoint's step, and response messages continue at its next chunk index, so the
 * consumer sees one stream per request. A checkpoint of a request that is answered, or that moved again since,
 * is acknowledged and dropped.
 */
@ApplicationScoped
public class CheckpointConsumer {

    private static final Logger LOG = Logger.getLogger(CheckpointConsumer.class);

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

    @Inject
    PreemptionMetrics preemptionMetrics;

    private final ExecutorService resumer = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("gantry-kafka-checkpoints").daemon().factory());

    @Incoming(Channels.CHECKPOINTS_IN)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    CompletionStage<Void> onCheckpoint(Message<String> message) {
        return CompletableFuture.runAsync(() -> take(message), resumer);
    }

    private void take(Message<String> message) {
        String key = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getKey() == null ? null : m.getKey().toString()).orElse(null);
        try {
            Checkpoint c = Checkpoint.parse(message.getPayload());
            ServedModel model = replica.awaitAdmission();
            if (model == null) {
                return;
            }
            var mark = answered.mark(c.id());
            if (replica.isRunning(c.id()) || mark.map(m -> m.done() || m.handover() > c.handover()).orElse(false)) {
                message.ack();
                return;
            }
            KafkaRequest request = RequestReader.JSON.treeToValue(c.request(), KafkaRequest.class);
            AdmittedRequest fresh = RequestReader.admit(request, c.request().toString(), model, admission,
                    config.kafka().topics().responses());
            // The prompt as the first replica encoded it, and its seed: the continuation repeats its draws.
            var sampling = c.sampler().seed() == null ? fresh.sampling()
                    : fresh.sampling().toBuilder().seed(c.sampler().seed()).build();
            AdmittedRequest resumed = new AdmittedRequest(c.id(), c.request(), c.promptTokenIds(), sampling,
                    fresh.stream(), fresh.replyTopic(), fresh.priority());
            if (replica.start(model, resumed, c.generatedTokenIds(), c.text(), c.nextChunk(), c.handover(), message)) {
                preemptionMetrics.resumed(c.promptTokenIds().length + c.generatedTokenIds().length);
                LOG.infof("request %s resumed from %s's checkpoint after %d tokens (chunk %d on)", c.id(), c.from(),
                        c.generatedTokenIds().length, c.nextChunk());
            }
        } catch (InvalidRequestException e) {
            LOG.infof("checkpoint %s → dead-letter topic: %s", key, e.getMessage());
            outbox.deadLetter(key, message.getPayload(), e.getMessage()).thenCompose(v -> message.ack());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf(e, "checkpoint %s could not be resumed", key);
            outbox.deadLetter(key, message.getPayload(), "the service could not resume it: " + e)
                    .thenCompose(v -> message.ack());
        }
    }

    @PreDestroy
    void stop() {
        resumer.shutdownNow();
    }
}
