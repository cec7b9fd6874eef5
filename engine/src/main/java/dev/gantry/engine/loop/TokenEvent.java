package dev.gantry.engine.loop;

import dev.gantry.engine.sample.FinishReason;

import java.util.List;

/**
 * What a request's {@link TokenStream} publishes: text as it is generated, then exactly one terminal event.
 */
public sealed interface TokenEvent {

    /**
     * New output: the tokens generated since the last event and the text they complete (text held back by a
     * possible stop string or an unfinished UTF-8 sequence arrives in a later event).
     *
     * @param tokenIds the new token ids
     * @param text     the new text, possibly empty
     * @param logprobs per new token, when the request asked for log-probabilities; otherwise empty
     */
    record Delta(int[] tokenIds, String text, List<TokenLogprob> logprobs) implements TokenEvent {
    }

    /**
     * The request ended normally or was cancelled.
     *
     * @param reason why it ended
     * @param usage  token counts
     */
    record Finished(FinishReason reason, Usage usage) implements TokenEvent {
    }

    /**
     * The request failed; the message says why.
     *
     * @param message what went wrong
     */
    record Failed(String message) implements TokenEvent {
    }
}
