package dev.gantry.runtime.rest.api;

/**
 * @param prompt the tokens' text, decoded exactly as generated text is
 */
public record DetokenizeResponse(String prompt) {
}
