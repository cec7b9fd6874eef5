package dev.gantry.tck.speculator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.tck.KitModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The prompts of the shared greedy reference ({@code oracle/stories260K_greedy.json}) and the token ids the
 * reference implementation generated for each, when the trained model and its oracle are present; otherwise
 * the kit's own prompts with no reference ids.
 */
final class OraclePrompts {

    /**
     * One reference case.
     *
     * @param prompt    the prompt text
     * @param reference the reference greedy ids, or null when the kit runs without the oracle
     * @param maxTokens tokens to generate
     */
    record Case(String prompt, int[] reference, int maxTokens) {
    }

    private OraclePrompts() {
    }

    static List<Case> load(KitModel model, int maxTokens) {
        Optional<Path> oracle = model.trained() ? KitModel.shared("oracle/stories260K_greedy.json") : Optional.empty();
        List<Case> cases = new ArrayList<>();
        if (oracle.isEmpty()) {
            for (String p : List.of("", "Once upon a time", "The little dog")) {
                cases.add(new Case(p, null, maxTokens));
            }
            return cases;
        }
        try {
            JsonNode root = new ObjectMapper().readTree(oracle.get().toFile());
            for (JsonNode c : root.get("cases")) {
                JsonNode ids = c.get("generated_tokens");
                int n = Math.min(maxTokens, ids.size());
                int[] reference = new int[n];
                for (int i = 0; i < n; i++) {
                    reference[i] = ids.get(i).asInt();
                }
                cases.add(new Case(c.get("prompt").asText(), reference, n));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + oracle.get(), e);
        }
    }
}
