package dev.gantry.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A response topic as its consumer sees it, per request id: each request's messages must carry indices 0, 1, 2,
 * ... in log order (none repeated, none missing) and end with exactly one final message.
 */
final class ResponseLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One request's answer.
     *
     * @param tokens    the token ids of its chunks
     * @param text      their text
     * @param instances the replicas that wrote its messages, in order
     */
    record Answer(List<Integer> tokens, String text, String finishReason, Set<String> instances) {
    }

    private final Map<String, List<ConsumerRecord<String, String>>> byId = new LinkedHashMap<>();

    ResponseLog(List<ConsumerRecord<String, String>> records) {
        for (ConsumerRecord<String, String> r : records) {
            byId.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
    }

    /** How many requests have a final message. */
    long finished() {
        return byId.values().stream().filter(rs -> rs.stream().anyMatch(r -> r.value().contains("\"finish_reason\"")))
                .count();
    }

    Set<String> ids() {
        return byId.keySet();
    }

    /** The checked answer of {@code id}. */
    Answer answer(String id) {
        List<ConsumerRecord<String, String>> records = byId.get(id);
        if (records == null) {
            throw new AssertionError("no response for " + id);
        }
        List<Integer> tokens = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Set<String> instances = new LinkedHashSet<>();
        String finish = null;
        for (int i = 0; i < records.size(); i++) {
            JsonNode m = parse(records.get(i).value());
            Header instance = records.get(i).headers().lastHeader("gantry-instance");
            if (instance != null) {
                instances.add(new String(instance.value(), StandardCharsets.UTF_8));
            }
            if (!m.path("id").asText().equals(id) || m.path("index").asInt(-1) != i) {
                throw new AssertionError(id + ": message " + i + " is " + m + " (a repeated or missing index)");
            }
            if (m.has("finish_reason")) {
                if (i != records.size() - 1) {
                    throw new AssertionError(id + ": messages after the final one");
                }
                finish = m.get("finish_reason").asText();
            }
            if (m.has("token_ids")) {
                m.get("token_ids").forEach(t -> tokens.add(t.asInt()));
                text.append(m.path("text").asText());
            }
        }
        if (finish == null) {
            throw new AssertionError(id + ": no final message");
        }
        return new Answer(tokens, text.toString(), finish, instances);
    }

    static List<ConsumerRecord<String, String>> only(List<ConsumerRecord<String, String>> records, String prefix) {
        return records.stream().filter(r -> r.key() != null && r.key().startsWith(prefix)).toList();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
