package dev.gantry.runtime.kafka;

import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.loop.QueueFullException;
import dev.gantry.engine.loop.TokenStream;
import dev.gantry.runtime.config.GantryConfig;
import dev.gantry.runtime.metrics.ServingMetrics;
import dev.gantry.runtime.serving.ServedModel;
import dev.gantry.runtime.serving.ServiceLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This replica's share of the Kafka work: the requests generating here, the gate in front of the engine, and
 * the hand-over of running requests when the replica is preempted.
 *
 * <p>The gate ({@link #awaitAdmission}) is where consumption pauses: the consumers call it one message at a time
 * and do not take the next message until it returns, which it does only while the model is served, this
 * replica knows every answered id, no preemption notice is in force, and the engine's waiting queue has room.
 */
@ApplicationScoped
public class KafkaReplica implements KafkaGeneration.Host {

    private static final Logger LOG = Logger.getLogger(KafkaReplica.class);
    private static final long GATE_POLL_MILLIS = 20;

    @Inject
    GantryConfig config;

    @Inject
    ServiceLifecycle lifecycle;

    @Inject
    ServingMetrics metrics;

    @Inject
    Outbox outbox;

    @Inject
    AnsweredRequests answered;

    private final Map<String, KafkaGeneration> running = new ConcurrentHashMap<>();
    private volatile boolean preempted;
    private volatile String instance;

    @Override
    public Outbox outbox() {
        return outbox;
    }

    @Override
    public String instance() {
        String i = instance;
        if (i == null) {
            i = InstanceId.of(config.instanceId().orElse(null));
            instance = i;
        }
        return i;
    }

    @Override
    public void ended(KafkaGeneration generation) {
        running.remove(generation.id(), generation);
    }

    @Override
    public CompletableFuture<Void> markDone(String id) {
        return answered.markDone(id);
    }

    /** Whether request {@code id} is generating here now. */
    boolean isRunning(String id) {
        return running.containsKey(id);
    }

    /** The requests generating here. */
    Collection<KafkaGeneration> runningNow() {
        return List.copyOf(running.values());
    }

    /** Whether a preemption notice for this replica is in force. */
    boolean preempted() {
        return preempted;
    }

    void setPreempted(boolean preempted) {
        this.preempted = preempted;
    }

    /**
     * Blocks until a request may be taken: the model served, the answered ids read, no notice in force, room in
     * the engine's waiting queue.
     *
     * @return the served model, or null when the service stops meanwhile
     */
    ServedModel awaitAdmission() throws InterruptedException {
        while (true) {
            ServiceLifecycle.State state = lifecycle.state();
            if (state == ServiceLifecycle.State.STOPPED || state == ServiceLifecycle.State.FAILED
                    || state == ServiceLifecycle.State.DRAINING) {
                return null;
            }
            var served = lifecycle.served();
            if (served.isPresent() && !preempted && answered.caughtUp()
                    && served.get().engine().stats().waiting() < config.queue().maxWaiting()) {
                return served.get();
            }
            Thread.sleep(GATE_POLL_MILLIS);
        }
    }

    /**
     * Starts generating a request (new, or resumed from a checkpoint) and follows it until it ends here. Blocks
     * while the engine's queue is full.
     *
     * @param generated tokens generated before, when resuming
     * @param textSoFar their text
     * @param nextIndex the index of the first response message written here
     * @param handovers how often the request moved before
     * @param source    acknowledged once the request has ended here
     * @return false when the service stopped before the request could be submitted
     */
    boolean start(ServedModel model, AdmittedRequest request, int[] generated, String textSoFar, int nextIndex,
                  int handovers, Message<?> source) throws InterruptedException {
        long arrival = System.nanoTime();
        GenerationRequest engineRequest = new GenerationRequest(null, request.promptTokens(), request.sampling(),
                request.priority(), generated);
        KafkaGeneration generation = new KafkaGeneration(request, generated, textSoFar, nextIndex, handovers, source,
                this, metrics.choice(arrival));
        running.put(request.id(), generation);
        while (true) {
            try {
                TokenStream stream = model.engine().submit(engineRequest);
                generation.follow(stream);
                return true;
            } catch (QueueFullException e) {
                // The gate let another consumer's message in first: wait for room rather than over-admit.
                Thread.sleep(GATE_POLL_MILLIS);
            } catch (IllegalArgumentException e) {
                running.remove(request.id(), generation);
                throw new InvalidRequestException(e.getMessage());
            } catch (IllegalStateException e) {
                running.remove(request.id(), generation);
                LOG.debugf("request %s not started: %s", request.id(), e.getMessage());
                return false;
            }
        }
    }
}
