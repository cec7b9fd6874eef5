package dev.gantry.runtime.kafka;

import dev.gantry.runtime.config.GantryConfig;
import dev.gantry.runtime.metrics.PreemptionMetrics;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Acts on preemption events for this instance, as SpotServe does on a spot-interruption notice: stop taking
 * requests and checkpoints, let the requests that will finish inside the grace period finish, and hand every other
 * running request over through {@code gantry.checkpoints} before the period ends (at the latest
 * {@code gantry.kafka.checkpoint-margin} before it). A {@code restore} event lifts the notice. SIGTERM is
 * treated alike once the drain period is over: what still runs is handed over rather than failed.
 */
@ApplicationScoped
public class PreemptionCoordinator {

    private static final Logger LOG = Logger.getLogger(PreemptionCoordinator.class);
    private static final long SHUTDOWN_CHECKPOINT_SECONDS = 10;

    @Inject
    KafkaReplica replica;

    @Inject
    AnsweredRequests answered;

    @Inject
    ChannelAssignments assignments;

    @Inject
    Outbox outbox;

    @Inject
    GantryConfig config;

    @Inject
    PreemptionMetrics metrics;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("gantry-preemption").daemon().factory());
    private ScheduledFuture<?> deadline;

    @Incoming(Channels.PREEMPTION)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    CompletionStage<Void> onEvent(Message<String> message) {
        try {
            PreemptionEvent event = RequestReader.JSON.readValue(message.getPayload(), PreemptionEvent.class);
            if (replica.instance().equals(event.instance())) {
                if (event.isNotice()) {
                    notice(event.graceSeconds() == null ? 0 : event.graceSeconds());
                } else if (event.isRestore()) {
                    restore();
                }
            }
        } catch (Exception e) {
            LOG.warnf("ignoring an unreadable preemption event: %s", e.getMessage());
        }
        return message.ack();
    }

    /** A notice for this instance: stop admitting, move what will not finish in time. */
    synchronized void notice(double graceSeconds) {
        metrics.notice();
        replica.setPreempted(true);
        double margin = config.kafka().checkpointMargin().toMillis() / 1000.0;
        double usable = Math.max(0, graceSeconds - margin);
        LOG.infof("preemption notice for %s: %.1f s of grace; no new requests; moving what will not finish in %.1f s",
                replica.instance(), graceSeconds, usable);
        List<KafkaGeneration> move = new ArrayList<>();
        for (KafkaGeneration g : replica.runningNow()) {
            if (!g.likelyFinishesWithin(usable)) {
                move.add(g);
            }
        }
        timer.execute(() -> handOver(move));
        if (deadline != null) {
            deadline.cancel(false);
        }
        deadline = timer.schedule(() -> handOver(replica.runningNow()), (long) (usable * 1000),
                TimeUnit.MILLISECONDS);
    }

    /** The notice is lifted: take requests again. */
    synchronized void restore() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        replica.setPreempted(false);
        LOG.infof("preemption of %s lifted: taking requests again", replica.instance());
    }

    /**
     * SIGTERM, after the drain period: the requests still generating are handed over like on a notice, before the
     * channels and the engine close, instead of ending with an error.
     */
    void onShutdown(@Observes @Priority(0) ShutdownEvent event) {
        if (config.kafka().mode() == GantryConfig.KafkaMode.DISABLED) {
            return;
        }
        replica.setPreempted(true);
        var running = replica.runningNow();
        if (running.isEmpty()) {
            return;
        }
        LOG.infof("shutting down: handing %d running requests over to other replicas", running.size());
        try {
            handOver(running).get(SHUTDOWN_CHECKPOINT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("not every checkpoint was written before shutdown: %s", e.toString());
        }
    }

    private CompletableFuture<Void> handOver(Iterable<KafkaGeneration> generations) {
        List<CompletableFuture<Void>> written = new ArrayList<>();
        for (KafkaGeneration g : generations) {
            Checkpoint c = g.handOver();
            if (c == null) {
                continue;
            }
            // The chunks already sent come first in the partition; only then may another replica continue.
            CompletableFuture<Void> done = CompletableFuture.allOf(g.sends().toArray(CompletableFuture[]::new))
                    .thenCompose(v -> outbox.checkpoint(c.id(), c.toJson(), partitionElsewhere(c.id())))
                    .thenCompose(v -> answered.markMoved(c.id(), c.handover()))
                    .thenRun(() -> {
                        metrics.checkpointWritten();
                        LOG.infof("request %s checkpointed after %d tokens (next chunk %d)", c.id(),
                                c.generatedTokenIds().length, c.nextChunk());
                    });
            written.add(g.afterHandOver(done));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(written.toArray(CompletableFuture[]::new));
        all.exceptionally(t -> {
            LOG.errorf("writing checkpoints failed: %s", t.getMessage());
            return null;
        });
        return all;
    }

    /**
     * A checkpoints partition another replica holds (this one stops consuming), or -1 to let the key choose when
     * this replica holds them all.
     */
    private int partitionElsewhere(String id) {
        Set<TopicPartition> mine = assignments.partitions(Channels.CHECKPOINTS_IN);
        List<Integer> others = new ArrayList<>();
        for (int p = 0; p < config.kafka().partitions(); p++) {
            int partition = p;
            if (mine.stream().noneMatch(tp -> tp.partition() == partition)) {
                others.add(p);
            }
        }
        return others.isEmpty() ? -1 : others.get(Math.floorMod(id.hashCode(), others.size()));
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
