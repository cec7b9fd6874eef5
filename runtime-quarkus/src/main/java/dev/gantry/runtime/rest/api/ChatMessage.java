package dev.gantry.runtime.rest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.gantry.runtime.rest.OpenAiException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One message of a chat request.
 *
 * @param role         {@code system}, {@code developer}, {@code user} or {@code assistant}
 * @param content      a string, or a list of content parts of which only {@code text} parts are served
 * @param name         an optional participant name, passed to the template
 * @param toolCalls    not supported
 * @param toolCallId   not supported (tool messages)
 * @param functionCall not supported
 * @param refusal      an assistant's earlier refusal; accepted and not used
 * @param audio        not supported
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChatMessage(String role, JsonNode content, String name, JsonNode toolCalls, String toolCallId,
                          JsonNode functionCall, String refusal, JsonNode audio) {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

    /**
     * The message as a chat template sees it ({@code role}, {@code content} as text, and {@code name} when given).
     *
     * @param field the message's place in the request ({@code messages[2]}), for errors
     * @throws OpenAiException 400 naming the field at fault
     */
    public Map<String, Object> toTemplateMessage(String field) {
        if (role == null) {
            throw OpenAiException.invalid(field + ".role", field + ".role is required");
        }
        if (role.equals("tool") || role.equals("function")) {
            throw OpenAiException.unsupported(field + ".role", "'" + role + "' messages need tools, which are not served");
        }
        if (!ROLES.contains(role)) {
            throw OpenAiException.invalid(field + ".role", field + ".role '" + role
                    + "' is not a role; allowed: system, developer, user, assistant");
        }
        if (present(toolCalls)) {
            throw OpenAiException.unsupported(field + ".tool_calls", "tools are not served");
        }
        if (toolCallId != null) {
            throw OpenAiException.unsupported(field + ".tool_call_id", "tools are not served");
        }
        if (present(functionCall)) {
            throw OpenAiException.unsupported(field + ".function_call", "functions are not served");
        }
        if (present(audio)) {
            throw OpenAiException.unsupported(field + ".audio", "audio is not served");
        }
        Map<String, Object> message = new LinkedHashMap<>();
        // OpenAI's "developer" messages are what "system" messages were; templates know only the latter.
        message.put("role", role.equals("developer") ? "system" : role);
        message.put("content", text(field + ".content"));
        if (name != null) {
            message.put("name", name);
        }
        return message;
    }

    /** The content as text: a string, or the text parts joined by newlines. */
    private String text(String field) {
        if (content == null || content.isNull()) {
            if (role.equals("assistant")) {
                return "";
            }
            throw OpenAiException.invalid(field, field + " is required");
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw OpenAiException.invalid(field, field + " must be a string or a list of content parts");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partField = field + "[" + i + "]";
            String type = part.path("type").asText("");
            if (!type.equals("text")) {
                throw OpenAiException.unsupported(partField + ".type", "'" + type + "' parts are not served; only text");
            }
            JsonNode text = part.get("text");
            if (text == null || !text.isTextual()) {
                throw OpenAiException.invalid(partField + ".text", partField + ".text must be a string");
            }
            texts.add(text.textValue());
        }
        return String.join("\n", texts);
    }

    static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !(node.isContainerNode() && node.isEmpty());
    }
}
