package dev.gantry.engine.loop;

import dev.gantry.engine.GenerationResult;
import dev.gantry.spi.SequenceId;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One request's output as a {@link Flow.Publisher} of {@link TokenEvent}s, plus its final
 * {@link #result() result}. Events are kept until delivered, so a subscriber that arrives late still sees
 * every event; one subscriber per stream. Delivery honours the subscriber's demand and is serial; it happens
 * on the engine's loop thread or on the thread that requests more, so {@code onNext} should hand work off
 * quickly rather than block.
 *
 * <p>{@link #cancel()} stops generation and frees everything the request held; the stream then ends with a
 * {@link TokenEvent.Finished} whose reason is {@code CANCELLED}.
 */
public final class TokenStream implements Flow.Publisher<TokenEvent> {

    private final SequenceId id;
    private final Runnable canceller;
    private final ConcurrentLinkedQueue<TokenEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Flow.Subscriber<? super TokenEvent>> subscriber = new AtomicReference<>();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
    private volatile boolean terminated;
    private volatile boolean subscriptionCancelled;
    private boolean delivered;

    TokenStream(SequenceId id, Runnable canceller) {
        this.id = id;
        this.canceller = canceller;
    }

    /** The engine's id for the request's sequence. */
    public SequenceId id() {
        return id;
    }

    /** Completes with the whole generation when the request ends (also when cancelled), or exceptionally. */
    public CompletableFuture<GenerationResult> result() {
        return result;
    }

    /** Stops generation; a no-op once the request has ended. */
    public void cancel() {
        if (!terminated) {
            canceller.run();
        }
    }

    @Override
    public void subscribe(Flow.Subscriber<? super TokenEvent> s) {
        Objects.requireNonNull(s, "subscriber");
        if (!subscriber.compareAndSet(null, s)) {
            s.onSubscribe(new Flow.Subscription() {
                public void request(long n) {
                }

                public void cancel() {
                }
            });
            s.onError(new IllegalStateException("a token stream has one subscriber"));
            return;
        }
        s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    subscriptionCancelled = true;
                    s.onError(new IllegalArgumentException("request(" + n + "): demand must be positive"));
                    return;
                }
                demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                drain();
            }

            @Override
            public void cancel() {
                subscriptionCancelled = true;
            }
        });
        drain();
    }

    /** Called by the loop: publishes an event. */
    void publish(TokenEvent event) {
        if (event instanceof TokenEvent.Finished || event instanceof TokenEvent.Failed) {
            terminated = true;
        }
        queue.add(event);
        drain();
    }

    /** Called by the loop after the terminal event. */
    void complete(GenerationResult r) {
        result.complete(r);
    }

    /** Called by the loop when the request failed. */
    void fail(Throwable t) {
        result.completeExceptionally(t);
    }

    /** Whether the terminal event was published. */
    boolean terminated() {
        return terminated;
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            Flow.Subscriber<? super TokenEvent> s = subscriber.get();
            if (s != null && !subscriptionCancelled && !delivered) {
                while (demand.get() > 0) {
                    TokenEvent e = queue.poll();
                    if (e == null) {
                        break;
                    }
                    demand.decrementAndGet();
                    s.onNext(e);
                    if (e instanceof TokenEvent.Finished || e instanceof TokenEvent.Failed) {
                        delivered = true;
                        s.onComplete();
                        break;
                    }
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
