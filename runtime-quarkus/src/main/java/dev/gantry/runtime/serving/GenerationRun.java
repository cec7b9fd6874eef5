package dev.gantry.runtime.serving;

import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.loop.TokenEvent;
import dev.gantry.engine.loop.TokenStream;
import dev.gantry.engine.sample.FinishReason;
import dev.gantry.runtime.metrics.ServingMetrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The choices of one API request while the engine generates them: each choice's {@link TokenStream} is
 * followed as its events arrive (timing them for the metrics) and the events of all choices are merged, in
 * arrival order, for the one thread that answers the request. Cancelling the run cancels every choice, which
 * frees the KV blocks they held.
 */
public final class GenerationRun {

    /**
     * An event of one choice.
     *
     * @param choice the choice's position in the request
     * @param event  the event
     */
    public record ChoiceEvent(int choice, TokenEvent event) {
    }

    /** Thrown when the client went away while waiting; the run is cancelled by then. */
    public static final class ClientGoneException extends RuntimeException {
        ClientGoneException() {
            super("the client disconnected", null, false, false);
        }
    }

    private static final Duration CLIENT_CHECK = Duration.ofMillis(200);

    private final List<TokenStream> streams;
    private final BlockingQueue<ChoiceEvent> events = new LinkedBlockingQueue<>();
    private int ended;

    private GenerationRun(List<TokenStream> streams) {
        this.streams = List.copyOf(streams);
    }

    /** Starts following the streams; choice i is {@code streams.get(i)}. */
    public static GenerationRun follow(List<TokenStream> streams, ServingMetrics metrics, long arrivalNanos) {
        GenerationRun run = new GenerationRun(streams);
        for (int i = 0; i < streams.size(); i++) {
            streams.get(i).subscribe(run.new ChoiceSubscriber(i, metrics.choice(arrivalNanos)));
        }
        return run;
    }

    /** How many choices the run has. */
    public int choices() {
        return streams.size();
    }

    /**
     * The next event of any choice, or null when none arrives within {@code wait}. Called by one thread.
     */
    public ChoiceEvent next(Duration wait) throws InterruptedException {
        ChoiceEvent e = events.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        if (e != null && (e.event() instanceof TokenEvent.Finished || e.event() instanceof TokenEvent.Failed)) {
            ended++;
        }
        return e;
    }

    /** Whether every choice's last event has been taken. */
    public boolean done() {
        return ended == streams.size();
    }

    /** Stops every choice that is still generating. */
    public void cancel() {
        streams.forEach(TokenStream::cancel);
    }

    /**
     * Waits for every choice to end and returns their results in order.
     *
     * @param clientGone polled while waiting; when it turns true the run is cancelled
     * @throws ClientGoneException when the client went away
     * @throws GenerationFailedException when the engine failed a choice
     */
    public List<GenerationResult> awaitResults(BooleanSupplier clientGone) {
        try {
            while (!done()) {
                ChoiceEvent e = next(CLIENT_CHECK);
                if (e != null && e.event() instanceof TokenEvent.Failed failed) {
                    cancel();
                    throw new GenerationFailedException(failed.message());
                }
                // Checked at every event too: while tokens flow there is no quiet moment to wait for.
                if (clientGone.getAsBoolean()) {
                    cancel();
                    throw new ClientGoneException();
                }
            }
        } catch (InterruptedException e) {
            cancel();
            Thread.currentThread().interrupt();
            throw new ClientGoneException();
        }
        List<GenerationResult> results = new ArrayList<>(streams.size());
        for (TokenStream s : streams) {
            try {
                results.add(s.result().join());
            } catch (CompletionException e) {
                throw new GenerationFailedException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            }
        }
        return results;
    }

    /** The engine failed a choice; the message says why. */
    public static final class GenerationFailedException extends RuntimeException {
        GenerationFailedException(String message) {
            super(message);
        }
    }

    /** Follows one choice: times its tokens and hands its events to the answering thread. */
    private final class ChoiceSubscriber implements Flow.Subscriber<TokenEvent> {
        private final int choice;
        private final ServingMetrics.ChoiceRecorder recorder;

        ChoiceSubscriber(int choice, ServingMetrics.ChoiceRecorder recorder) {
            this.choice = choice;
            this.recorder = recorder;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            // Events are small and the engine keeps them until delivered anyway: take them all as they come.
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(TokenEvent event) {
            switch (event) {
                case TokenEvent.Delta d -> recorder.onTokens(d.tokenIds().length);
                case TokenEvent.Finished f -> recorder.onFinished(f.reason());
                case TokenEvent.Failed ignored -> recorder.onFinished(FinishReason.ABORT);
            }
            events.add(new ChoiceEvent(choice, event));
        }

        @Override
        public void onError(Throwable t) {
            events.add(new ChoiceEvent(choice, new TokenEvent.Failed(String.valueOf(t.getMessage()))));
        }

        @Override
        public void onComplete() {
        }
    }
}
