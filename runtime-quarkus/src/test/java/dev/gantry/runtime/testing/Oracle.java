package dev.gantry.runtime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The greedy reference outputs of stories260K: per prompt, its tokens and the generated tokens and text. */
public final class Oracle {

    /**
     * @param prompt          the prompt text
     * @param promptTokens    its tokens, BOS included
     * @param generatedTokens the greedy continuation
     * @param generatedText   its text
     */
    public record Case(String prompt, List<Integer> promptTokens, List<Integer> generatedTokens,
                       String generatedText) {
    }

    private Oracle() {
    }

    /** Every case; the calling test is skipped when the oracle is absent. */
    public static List<Case> cases() {
        try {
            JsonNode root = new ObjectMapper().readTree(SharedAssets.requireOracle().toFile());
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                cases.add(new Case(c.get("prompt").asText(), ints(c.get("prompt_tokens")),
                        ints(c.get("generated_tokens")), c.get("generated_text").asText()));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asInt()));
        return list;
    }
}
