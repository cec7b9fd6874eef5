package dev.gantry.engine.tokenizer;

/**
 * A piece of prompt text after user-defined tokens have been cut out of it: either text still to be
 * tokenized, or a token already known.
 */
sealed interface PromptFragment {

    /** Text the tokenizer's algorithm still has to encode; never empty. */
    record Text(String text) implements PromptFragment {
    }

    /** A user-defined token found verbatim in the prompt. */
    record Token(int id) implements PromptFragment {
    }
}
