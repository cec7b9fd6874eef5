package dev.gantry.runtime.kafka;

import dev.gantry.engine.loop.TokenEvent;
import dev.gantry.engine.loop.TokenStream;
import dev.gantry.runtime.metrics.ServingMetrics;
import dev.gantry.engine.sample.FinishReason;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * One request generating on this replica, from its token stream to response messages: one chunk per token event,
 * numbered on from {@code nextIndex}, then the final message. When it ends, the request id is recorded as
 * answered and then the message it came from (a request, or a checkpoint) is acknowledged, so its offset is
 * committed only after the final response is written. {@link #handOver()} stops it at a chunk boundary and
 * returns its progress for a checkpoint instead.
 *
 * <p>Token events arrive on the engine's delivery thread; hand-over comes from the preemption timer. Both hold
 * this object's lock, so a checkpoint holds exactly the chunks that were published.
 */
final class KafkaGeneration implements Flow.Subscriber<TokenEvent> {

    private static final Logger LOG = Logger.getLogger(KafkaGeneration.class);

    /** What a generation needs from the service around it. */
    interface Host {
        Outbox outbox();

        String instance();

        /** Called once, when the generation has ended here (answered, failed or handed over). */
        void ended(KafkaGeneration generation);

        /** Records the request as answered (done) before its source message is acknowledged. */
        CompletableFuture<Void> markDone(String id);
    }

    final AdmittedRequest request;
    final int handovers;
    private final Message<?> source;
    private final Host host;
    private final ServingMetrics.ChoiceRecorder recorder;
    private final long startedNanos = System.nanoTime();
    private final List<Integer> tokens = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final List<CompletableFuture<Void>> sends = new ArrayList<>();
    private final int resumedTokens;
    private TokenStream stream;
    private int nextIndex;
    private boolean ended;

    /**
     * @param generated  tokens generated before (a resumed request), else empty
     * @param textSoFar  their text
     * @param nextIndex  the index of the first chunk this replica writes
     * @param handovers  how often the request moved before
     * @param source     the message to acknowledge when the request has ended here
     */
    KafkaGeneration(AdmittedRequest request, int[] generated, String textSoFar, int nextIndex, int handovers,
                    Message<?> source, Host host, ServingMetrics.ChoiceRecorder recorder) {
        this.request = request;
        this.nextIndex = nextIndex;
        this.handovers = handovers;
        this.source = source;
        this.host = host;
        this.recorder = recorder;
        for (int t : generated) {
            tokens.add(t);
        }
        this.resumedTokens = generated.length;
        text.append(textSoFar);
    }

    /** Follows the engine's stream of this request. */
    void follow(TokenStream stream) {
        this.stream = stream;
        stream.subscribe(this);
    }

    /** The id of the request. */
    String id() {
        return request.id();
    }

    /**
     * Whether it would likely finish within {@code seconds} at the pace it has had so far (tokens per second since
     * it started here); a request that has not produced a token yet is not expected to.
     */
    synchronized boolean likelyFinishesWithin(double seconds) {
        int produced = tokens.size() - resumedTokens;
        if (ended || produced == 0) {
            return ended;
        }
        double elapsed = (System.nanoTime() - startedNanos) / 1e9;
        int remaining = request.sampling().maxTokens() - tokens.size();
        return remaining * (elapsed / produced) < seconds;
    }

    /**
     * Stops the request here and returns its progress, or null when it has already ended. Chunks published so far
     * are in the checkpoint; none will follow from this replica.
     */
    synchronized Checkpoint handOver() {
        if (ended) {
            return null;
        }
        ended = true;
        stream.cancel();
        int[] generated = tokens.stream().mapToInt(Integer::intValue).toArray();
        return new Checkpoint(request.id(), request.original(), request.promptTokens(), generated, text.toString(),
                new Checkpoint.SamplerState(request.sampling().seed(), generated.length), nextIndex, handovers + 1,
                host.instance());
    }

    /** Waits for the chunks published so far to be written, then acknowledges the source message. */
    CompletableFuture<Void> afterHandOver(CompletableFuture<Void> checkpointWritten) {
        return checkpointWritten.thenCompose(v -> source.ack()).toCompletableFuture()
                .whenComplete((v, t) -> host.ended(this));
    }

    /** The response sends of this replica, so far. */
    synchronized List<CompletableFuture<Void>> sends() {
        return List.copyOf(sends);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public synchronized void onNext(TokenEvent event) {
        if (ended) {
            return; // handed over: whatever the engine produced after that is the next replica's to produce
        }
        switch (event) {
            case TokenEvent.Delta d -> {
                recorder.onTokens(d.tokenIds().length);
                for (int t : d.tokenIds()) {
                    tokens.add(t);
                }
                text.append(d.text());
                if (request.stream()) {
                    publish(ResponseMessages.chunk(id(), nextIndex++, d.text(), d.tokenIds()));
                }
            }
            case TokenEvent.Finished f -> {
                recorder.onFinished(f.reason());
                ended = true;
                publish(ResponseMessages.last(id(), nextIndex++, f.reason().wireName(), f.usage(),
                        request.stream() ? null : text.toString(), tokens));
                complete();
            }
            case TokenEvent.Failed failed -> {
                recorder.onFinished(FinishReason.ABORT);
                ended = true;
                publish(ResponseMessages.error(id(), nextIndex++, failed.message()));
                complete();
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        onNext(new TokenEvent.Failed(String.valueOf(t.getMessage())));
    }

    @Override
    public void onComplete() {
    }

    private void publish(String json) {
        sends.add(host.outbox().response(request.replyTopic(), id(), json, host.instance()));
    }

    private void complete() {
        CompletableFuture<Void> all = CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
        all.thenCompose(v -> host.markDone(id()))
                .thenCompose(v -> source.ack())
                .whenComplete((v, t) -> {
                    if (t != null) {
                        // Not acknowledged: the request will be redelivered and answered by whoever gets it.
                        LOG.warnf("request %s: writing its responses failed (%s); it stays unacknowledged",
                                id(), t.getMessage());
                    }
                    host.ended(this);
                });
    }
}
