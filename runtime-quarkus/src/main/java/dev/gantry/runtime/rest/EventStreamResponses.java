package dev.gantry.runtime.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/** The HTTP response around a server-sent event stream: its media type and headers that keep it unbuffered. */
final class EventStreamResponses {

    private EventStreamResponses() {
    }

    static Response of(StreamingOutput stream) {
        return Response.ok(stream, MediaType.SERVER_SENT_EVENTS_TYPE)
                .header("Cache-Control", "no-cache")
                // Reverse proxies (nginx) would otherwise buffer the stream.
                .header("X-Accel-Buffering", "no")
                .build();
    }
}
