package dev.gantry.engine.sample;

/**
 * Why a sequence ended, in the vocabulary of the OpenAI API ({@code finish_reason}) that every front end
 * reports.
 */
public enum FinishReason {
    /** EOS, a stop token id or a stop string. */
    STOP("stop"),
    /** The request's {@code max_tokens}, or the model's context, was reached. */
    LENGTH("length"),
    /** The client went away or cancelled the request. */
    CANCELLED("cancelled"),
    /** The engine gave the request up (an error, a drain that ran out of time). */
    ABORT("abort");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    /** The lower-case name used in API responses ({@code "stop"}, {@code "length"}). */
    public String wireName() {
        return wireName;
    }
}
