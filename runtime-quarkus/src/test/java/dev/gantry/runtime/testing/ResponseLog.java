package dev.gantry.runtime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The response topic as a consumer sees it, per request id: checks that each request has chunks with indices
 * 0, 1, 2, ... in log order, no index twice, and exactly one final message, last; and collects its tokens and
 * text.
 */
public final class ResponseLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One request's answer.
     *
     * @param messages     its messages in log order
     * @param tokens       the token ids of its chunks (or of its final message, when it did not stream)
     * @param text         their text
     * @param finishReason the final message's finish reason, or null when none arrived
     */
    public record Answer(List<JsonNode> messages, List<Integer> tokens, String text, String finishReason) {
    }

    private final Map<String, List<JsonNode>> byId = new LinkedHashMap<>();

    public ResponseLog(List<ConsumerRecord<String, String>> records) {
        for (ConsumerRecord<String, String> r : records) {
            try {
                JsonNode m = JSON.readTree(r.value());
                if (!m.path("id").asText().equals(r.key())) {
                    throw new AssertionError("message keyed " + r.key() + " carries id " + m.path("id"));
                }
                byId.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(m);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** How many requests have their final message. */
    public long finished() {
        return byId.values().stream().filter(ms -> ms.stream().anyMatch(m -> m.has("finish_reason"))).count();
    }

    /** Every request id that has any message. */
    public java.util.Set<String> ids() {
        return byId.keySet();
    }

    /**
     * The answer of {@code id}, checked: contiguous indices from 0, each once, one final message at the end, and
     * {@code finish_reason} only there.
     */
    public Answer answer(String id) {
        List<JsonNode> messages = byId.get(id);
        if (messages == null) {
            throw new AssertionError("no response for " + id);
        }
        List<Integer> tokens = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (m.path("index").asInt(-1) != i) {
                throw new AssertionError(id + ": message " + i + " has index " + m.path("index") + " (repeated or"
                        + " missing chunk): " + messages);
            }
            if (m.has("finish_reason")) {
                if (i != messages.size() - 1) {
                    throw new AssertionError(id + ": the final message is not the last: " + messages);
                }
                finish = m.get("finish_reason").asText();
            }
            if (m.has("token_ids")) {
                m.get("token_ids").forEach(t -> tokens.add(t.asInt()));
                text.append(m.path("text").asText());
            }
        }
        if (finish == null) {
            throw new AssertionError(id + ": no final message: " + messages);
        }
        return new Answer(messages, tokens, text.toString(), finish);
    }
}
