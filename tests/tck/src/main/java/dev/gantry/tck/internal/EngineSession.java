package dev.gantry.tck.internal;

import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.loop.LoopStats;
import dev.gantry.engine.loop.TokenEvent;
import dev.gantry.engine.loop.TokenStream;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.spi.SequenceId;
import dev.gantry.tck.KitModel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A real engine on the kit's model, built from the kit's plugin registry, and the requests the kit runs
 * through it. A run waits for its requests; when the instrumented plugin reports that the run can no longer
 * finish (a stall, a starved request) or a generous wall-clock guard against a hung engine passes, every
 * unfinished request is cancelled and reported as such, so a broken plugin fails a check instead of hanging
 * the build.
 *
 * <p>Used by the kit's run builders; not meant for plugin authors' tests.
 */
public final class EngineSession implements AutoCloseable {

    /** How long any one run may take before the kit gives up on a hung engine. Not a performance bound. */
    public static final long HANG_GUARD_SECONDS = 120;

    /**
     * One request's end.
     *
     * @param sequence the engine's id for it
     * @param result   its result, or null when it failed
     * @param failure  why it failed, or null
     */
    public record Completion(SequenceId sequence, GenerationResult result, String failure) {

        /** Whether the request ended with a result. */
        public boolean succeeded() {
            return result != null;
        }

        /** The generated tokens; an assertion error naming the failure when there are none. */
        public int[] tokens() {
            if (result == null) {
                throw new AssertionError(sequence + " failed: " + failure);
            }
            return result.tokens();
        }
    }

    /**
     * The end of a run.
     *
     * @param completions one per request, in submission order
     * @param abandoned   why the kit cancelled what was left, or null when everything ended by itself
     * @param stats       the engine's counters after the run
     */
    public record Outcome(List<Completion> completions, String abandoned, LoopStats stats) {
    }

    private final Engine engine;

    private EngineSession(Engine engine) {
        this.engine = engine;
    }

    /** Opens an engine on {@code model} with these options and plugins (threads default to at most two). */
    public static EngineSession open(KitModel model, EngineOptions options, PluginRegistry registry) {
        return new EngineSession(Engine.open(model.path(), options, registry));
    }

    /** Options the kit starts from: at most two threads, the rest as Gantry's defaults. */
    public static EngineOptions defaultOptions() {
        return EngineOptions.defaults().withThreads(Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    /** The engine. */
    public Engine engine() {
        return engine;
    }

    /** The engine's counters now. */
    public LoopStats stats() {
        return engine.stats();
    }

    /**
     * Submits all requests at once and waits for every one.
     *
     * @param abandon says why the run cannot finish (null while it can); polled while waiting
     */
    public Outcome runAll(List<GenerationRequest> requests, Supplier<String> abandon) {
        List<TokenStream> streams = engine.submitAll(requests);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
        CompletableFuture<?> all = CompletableFuture.allOf(streams.stream().map(TokenStream::result)
                .toArray(CompletableFuture[]::new));
        String reason = null;
        while (!all.isDone()) {
            reason = abandon.get();
            if (reason == null && System.nanoTime() > deadline) {
                reason = "the engine did not finish the kit's workload within " + HANG_GUARD_SECONDS + " s";
            }
            if (reason != null) {
                streams.forEach(TokenStream::cancel);
                break;
            }
            try {
                all.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // keep waiting; failures are collected below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the engine", e);
            }
        }
        List<Completion> out = new ArrayList<>();
        for (TokenStream s : streams) {
            out.add(complete(s, reason));
        }
        return new Outcome(out, reason, engine.stats());
    }

    /** Submits one request and cancels it once it has generated {@code tokens} tokens; waits for its end. */
    public Completion cancelAfter(GenerationRequest request, int tokens) {
        TokenStream stream = engine.submit(request);
        AtomicInteger seen = new AtomicInteger();
        stream.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(TokenEvent event) {
                if (event instanceof TokenEvent.Delta d && seen.addAndGet(d.tokenIds().length) >= tokens) {
                    stream.cancel();
                }
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        });
        return complete(stream, null);
    }

    private static Completion complete(TokenStream stream, String abandoned) {
        try {
            GenerationResult r = stream.result().get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            return new Completion(stream.id(), r, null);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Completion(stream.id(), null, String.valueOf(cause.getMessage()));
        } catch (TimeoutException e) {
            return new Completion(stream.id(), null, abandoned != null ? abandoned
                    : "no result within " + HANG_GUARD_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the engine", e);
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
