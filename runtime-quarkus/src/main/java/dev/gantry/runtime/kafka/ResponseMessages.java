package dev.gantry.runtime.kafka;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.engine.loop.Usage;

import java.util.List;

/**
 * The messages of {@code gantry.responses}, keyed by request id. A chunk: {@code {id, index, text, token_ids}}.
 * The final message: {@code {id, index, finish_reason, usage}} (with {@code text} and {@code token_ids} of the
 * whole output when the request did not stream); only it carries {@code finish_reason}. An error:
 * {@code {id, index, error: {message, type}}}. Indices count from 0 per request, across replicas.
 */
final class ResponseMessages {

    private ResponseMessages() {
    }

    static String chunk(String id, int index, String text, int[] tokenIds) {
        ObjectNode m = RequestReader.JSON.createObjectNode().put("id", id).put("index", index).put("text", text);
        ArrayNode ids = m.putArray("token_ids");
        for (int t : tokenIds) {
            ids.add(t);
        }
        return m.toString();
    }

    /**
     * The final message.
     *
     * @param wholeText the whole output, for requests that did not stream; null when streaming
     */
    static String last(String id, int index, String finishReason, Usage usage, String wholeText,
                       List<Integer> wholeTokens) {
        ObjectNode m = RequestReader.JSON.createObjectNode().put("id", id).put("index", index);
        if (wholeText != null) {
            m.put("text", wholeText);
            ArrayNode ids = m.putArray("token_ids");
            wholeTokens.forEach(ids::add);
        }
        m.put("finish_reason", finishReason);
        m.putObject("usage").put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.promptTokens() + usage.completionTokens());
        return m.toString();
    }

    static String error(String id, int index, String message) {
        ObjectNode m = RequestReader.JSON.createObjectNode().put("id", id).put("index", index);
        m.putObject("error").put("message", message).put("type", "server_error");
        return m.toString();
    }
}
