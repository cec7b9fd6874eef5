package dev.gantry.runtime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a server-sent event stream as an OpenAI client does: events are separated by blank lines, each
 * {@code data:} line carries the payload, comment lines (starting with {@code :}) are ignored.
 */
public final class ServerSentEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerSentEvents() {
    }

    /** Every event's data, in order ({@code [DONE]} included). */
    public static List<String> data(String stream) {
        List<String> events = new ArrayList<>();
        for (String block : stream.split("\n\n")) {
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("data:")) {
                    String value = line.substring(5);
                    data.append(value.startsWith(" ") ? value.substring(1) : value);
                }
            }
            if (!data.isEmpty()) {
                events.add(data.toString());
            }
        }
        return events;
    }

    /** The JSON events before {@code [DONE]}; fails unless the stream ends with exactly one {@code [DONE]}. */
    public static List<JsonNode> jsonUntilDone(String stream) {
        List<String> data = data(stream);
        if (data.isEmpty() || !data.getLast().equals("[DONE]") || data.indexOf("[DONE]") != data.size() - 1) {
            throw new AssertionError("the stream must end with one data: [DONE]; it was:\n" + stream);
        }
        List<JsonNode> events = new ArrayList<>();
        for (String d : data.subList(0, data.size() - 1)) {
            try {
                events.add(JSON.readTree(d));
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return events;
    }
}
