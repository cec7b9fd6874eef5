package dev.gantry.runtime.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes server-sent events the way OpenAI streams: {@code data: <json>} events, flushed one by one, ending with
 * {@code data: [DONE]}. Comment lines keep a quiet connection open (and reveal a client that went away).
 */
final class SseWriter {

    private final OutputStream out;
    private final ObjectMapper json;

    SseWriter(OutputStream out, ObjectMapper json) {
        this.out = out;
        this.json = json;
    }

    /** One event carrying {@code body} as JSON. */
    void data(Object body) throws IOException {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        write("data: " + text + "\n\n");
    }

    /** A comment line, ignored by clients. */
    void keepAlive() throws IOException {
        write(": keep-alive\n\n");
    }

    /** The end of the stream. */
    void done() throws IOException {
        write("data: [DONE]\n\n");
    }

    private void write(String event) throws IOException {
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
