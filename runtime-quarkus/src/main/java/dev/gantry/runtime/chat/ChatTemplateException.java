package dev.gantry.runtime.chat;

/** A conversation the chat template refuses (its {@code raise_exception}) or cannot render; the message says why. */
public class ChatTemplateException extends RuntimeException {

    public ChatTemplateException(String message) {
        super(message);
    }
}
