package dev.gantry.runtime.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * One prompt of a completion request, as text (what {@code echo} repeats) and as the token ids the engine
 * runs. OpenAI's {@code prompt} is a string, a list of strings, a list of token ids or a list of such lists;
 * text is encoded exactly as {@code ./gantry generate} encodes it (BOS first when the model adds one), token
 * ids are used verbatim.
 *
 * @param text   the prompt text (for token prompts, their decoded text)
 * @param tokens the prompt's token ids
 */
public record CompletionPrompt(String text, int[] tokens) {

    /**
     * The prompts of a request.
     *
     * @throws OpenAiException 400 naming {@code prompt} (or the offending element) when the shape is wrong
     */
    public static List<CompletionPrompt> parse(JsonNode prompt, Tokenizer tokenizer) {
        if (prompt.isTextual()) {
            return List.of(text(prompt.textValue(), tokenizer));
        }
        if (!prompt.isArray()) {
            throw shape();
        }
        if (prompt.isEmpty()) {
            throw OpenAiException.invalid("prompt", "prompt must not be an empty list");
        }
        List<CompletionPrompt> prompts = new ArrayList<>();
        JsonNode first = prompt.get(0);
        if (first.isIntegralNumber()) {
            prompts.add(tokens(prompt, "prompt", tokenizer));
        } else {
            for (int i = 0; i < prompt.size(); i++) {
                JsonNode element = prompt.get(i);
                if (element.isTextual() && first.isTextual()) {
                    prompts.add(text(element.textValue(), tokenizer));
                } else if (element.isArray() && first.isArray()) {
                    prompts.add(tokens(element, "prompt[" + i + "]", tokenizer));
                } else {
                    throw shape();
                }
            }
        }
        return prompts;
    }

    private static CompletionPrompt text(String text, Tokenizer tokenizer) {
        return new CompletionPrompt(text, tokenizer.encode(text, true));
    }

    private static CompletionPrompt tokens(JsonNode ids, String field, Tokenizer tokenizer) {
        if (ids.isEmpty()) {
            throw OpenAiException.invalid(field, field + " must not be an empty list of token ids");
        }
        int[] tokens = new int[ids.size()];
        int vocabulary = tokenizer.vocabularySize();
        for (int i = 0; i < tokens.length; i++) {
            JsonNode id = ids.get(i);
            if (!id.isIntegralNumber() || id.asLong() < 0 || id.asLong() >= vocabulary) {
                throw OpenAiException.invalid(field, field + "[" + i + "] = " + id + " is not a token id of this model"
                        + " (0 to " + (vocabulary - 1) + ")");
            }
            tokens[i] = id.intValue();
        }
        return new CompletionPrompt(tokenizer.decode(tokens), tokens);
    }

    private static OpenAiException shape() {
        return OpenAiException.invalid("prompt", "prompt must be a string, a list of strings, a list of token ids or"
                + " a list of lists of token ids");
    }
}
