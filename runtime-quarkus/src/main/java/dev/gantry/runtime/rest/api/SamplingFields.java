package dev.gantry.runtime.rest.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The sampling fields completions and chat completions share: OpenAI's, and the extras vLLM accepts
 * ({@code top_k}, {@code min_p}, {@code repetition_penalty}, {@code stop_token_ids}, {@code min_tokens},
 * {@code ignore_eos}). Null means "not given".
 */
public interface SamplingFields {

    Double temperature();

    Double topP();

    Double presencePenalty();

    Double frequencyPenalty();

    Long seed();

    /** A string or a list of strings. */
    JsonNode stop();

    Integer topK();

    Double minP();

    Double repetitionPenalty();

    List<Integer> stopTokenIds();

    Integer minTokens();

    Boolean ignoreEos();
}
