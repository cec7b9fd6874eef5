package dev.gantry.runtime.rest.api;

/**
 * {@code POST /detokenize}.
 *
 * @param model  the model's id; null means the served model
 * @param tokens token ids to decode
 */
public record DetokenizeRequest(String model, int[] tokens) {
}
