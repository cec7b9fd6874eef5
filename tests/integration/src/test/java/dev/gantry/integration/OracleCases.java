package dev.gantry.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The greedy reference continuations of stories260K (the shared oracle), by prompt. */
final class OracleCases {

    private OracleCases() {
    }

    /** The greedy tokens after {@code prompt}; the calling test is skipped when the oracle is absent. */
    static List<Integer> greedy(String prompt) {
        try {
            JsonNode root = new ObjectMapper().readTree(ProjectFiles.requireOracle().toFile());
            for (JsonNode c : root.get("cases")) {
                if (c.get("prompt").asText().equals(prompt)) {
                    List<Integer> tokens = new ArrayList<>();
                    c.get("generated_tokens").forEach(t -> tokens.add(t.asInt()));
                    return tokens;
                }
            }
            throw new AssertionError("the oracle has no case for '" + prompt + "'");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
