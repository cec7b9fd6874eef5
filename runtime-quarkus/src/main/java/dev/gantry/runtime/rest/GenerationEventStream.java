package dev.gantry.runtime.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.loop.TokenEvent;
import dev.gantry.runtime.rest.api.ErrorResponse;
import dev.gantry.runtime.serving.GenerationRun;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.StreamingOutput;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A streaming response: the run's events as server-sent events in the endpoint's {@link StreamFormat}, as they
 * are generated, then the usage chunk (when asked for) and {@code [DONE]}. A client that disconnects is noticed
 * at the next write or keep-alive, and its generations are cancelled, which frees their KV blocks.
 */
final class GenerationEventStream implements StreamingOutput {

    private static final Logger LOG = Logger.getLogger(GenerationEventStream.class);

    /** Quiet time after which a comment line is sent, to keep proxies from closing the stream. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(5);

    private final GenerationRun run;
    private final StreamFormat format;
    private final int choicesPerPrompt;
    private final boolean includeUsage;
    private final ObjectMapper json;
    private final HttpServerResponse http;

    GenerationEventStream(GenerationRun run, StreamFormat format, int choicesPerPrompt, boolean includeUsage,
                          ObjectMapper json, HttpServerResponse http) {
        this.run = run;
        this.format = format;
        this.choicesPerPrompt = choicesPerPrompt;
        this.includeUsage = includeUsage;
        this.json = json;
        this.http = http;
    }

    @Override
    public void write(OutputStream output) {
        SseWriter sse = new SseWriter(output, json);
        UsageTally usage = new UsageTally(choicesPerPrompt);
        try {
            for (int c = 0; c < run.choices(); c++) {
                for (Object chunk : format.opening(c)) {
                    sse.data(chunk);
                }
            }
            while (!run.done()) {
                GenerationRun.ChoiceEvent e = run.next(KEEP_ALIVE);
                // Writes to a closed connection may be dropped silently: ask the connection itself.
                if (http.closed()) {
                    throw new IOException("the client disconnected");
                }
                if (e == null) {
                    sse.keepAlive();
                    continue;
                }
                switch (e.event()) {
                    case TokenEvent.Delta d -> {
                        Object chunk = format.delta(e.choice(), d);
                        if (chunk != null) {
                            sse.data(chunk);
                        }
                    }
                    case TokenEvent.Finished f -> {
                        usage.add(e.choice(), f.usage());
                        sse.data(format.finish(e.choice(), f.reason()));
                    }
                    case TokenEvent.Failed f ->
                            sse.data(ErrorResponse.of(f.message(), "server_error", null, null));
                }
            }
            if (includeUsage) {
                sse.data(format.usage(usage.total()));
            }
            sse.done();
        } catch (IOException e) {
            LOG.debugf("stream ended early: %s; cancelling its generations", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // A no-op for choices that ended; frees the KV of any that still run.
            run.cancel();
        }
    }
}
