package dev.gantry.runtime.rest;

import dev.gantry.runtime.chat.ChatTemplateException;
import dev.gantry.runtime.rest.api.ChatMessage;
import dev.gantry.runtime.serving.ServedModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders a request's chat messages with the served model's template and encodes the result. */
public final class ChatPrompts {

    private ChatPrompts() {
    }

    /**
     * The prompt's token ids.
     *
     * @throws OpenAiException 400 naming the message at fault, or {@code messages} when the template refuses the
     *                         conversation
     */
    public static int[] encode(ServedModel model, List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> rendered = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (m == null) {
                throw OpenAiException.invalid("messages[" + i + "]", "messages[" + i + "] must be a message object");
            }
            rendered.add(m.toTemplateMessage("messages[" + i + "]"));
        }
        String text;
        try {
            text = model.chatTemplate().render(rendered, addGenerationPrompt);
        } catch (ChatTemplateException e) {
            throw OpenAiException.invalid("messages", "the model's chat template refused the conversation: "
                    + e.getMessage());
        }
        return model.chatEncoder().encode(text);
    }
}
