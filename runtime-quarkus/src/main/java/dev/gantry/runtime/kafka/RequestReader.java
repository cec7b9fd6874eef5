package dev.gantry.runtime.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.runtime.rest.ChatPrompts;
import dev.gantry.runtime.rest.CompletionPrompt;
import dev.gantry.runtime.rest.OpenAiException;
import dev.gantry.runtime.rest.OpenAiSampling;
import dev.gantry.runtime.rest.RequestAdmission;
import dev.gantry.runtime.serving.ServedModel;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Reads a request message and applies the REST API's checks to it (prompt shape and length, sampling fields,
 * {@code gantry.limits.*}): the result is an {@link AdmittedRequest}, or an {@link InvalidRequestException} whose
 * message says what is wrong, for the dead-letter topic.
 */
final class RequestReader {

    /** Strict: an unknown field or a value of the wrong type (no "10" for 10) is refused. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private static final SplittableRandom SEEDS = new SplittableRandom();

    private RequestReader() {
    }

    /** Parses the JSON of a request message. */
    static KafkaRequest parse(String payload) {
        if (payload == null || payload.isBlank()) {
            throw new InvalidRequestException("the message has no payload; a request is a JSON object");
        }
        try {
            JsonNode tree = JSON.readTree(payload);
            if (tree == null || !tree.isObject()) {
                throw new InvalidRequestException("a request must be a JSON object");
            }
            return JSON.treeToValue(tree, KafkaRequest.class);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("malformed request: " + describe(e));
        }
    }

    /** Jackson's complaint, led by the field it concerns when there is one ({@code max_tokens: Cannot ...}). */
    static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int cut = message.indexOf(" (but might if");
        message = cut > 0 ? message.substring(0, cut) : message;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                path.append(r.getFieldName() != null ? (path.isEmpty() ? "" : ".") + r.getFieldName()
                        : "[" + r.getIndex() + "]");
            }
            return path + ": " + message;
        }
        return message;
    }

    /**
     * Checks a request against the served model and the limits.
     *
     * @param defaultReplyTopic the responses topic
     */
    static AdmittedRequest admit(KafkaRequest r, String payload, ServedModel model, RequestAdmission admission,
                                 String defaultReplyTopic) {
        if (r.id() == null || r.id().isBlank()) {
            throw new InvalidRequestException("missing id: every request needs an \"id\", the key of its responses");
        }
        boolean hasPrompt = r.prompt() != null && !r.prompt().isNull();
        boolean hasMessages = r.messages() != null;
        if (!hasPrompt && !hasMessages) {
            throw new InvalidRequestException("missing prompt: a request needs \"prompt\" or \"messages\"");
        }
        if (hasPrompt && hasMessages) {
            throw new InvalidRequestException("a request has either \"prompt\" or \"messages\", not both");
        }
        if (r.replyTopic() != null && r.replyTopic().isBlank()) {
            throw new InvalidRequestException("reply_topic must not be blank");
        }
        try {
            if (r.model() != null && !r.model().isBlank() && !r.model().equals(model.name())) {
                throw new InvalidRequestException("model '" + r.model() + "' is not served here; this service serves '"
                        + model.name() + "'");
            }
            int[] tokens;
            int maxTokens;
            if (hasPrompt) {
                List<CompletionPrompt> prompts = CompletionPrompt.parse(r.prompt(), model.tokenizer());
                if (prompts.size() != 1) {
                    throw new InvalidRequestException("prompt must be one prompt (a string or a list of token ids)");
                }
                tokens = prompts.get(0).tokens();
                admission.checkPrompt(model, tokens, "prompt");
                maxTokens = admission.maxTokens(model, r.maxTokens(), "max_tokens", SamplingParams.DEFAULT_MAX_TOKENS);
            } else {
                if (r.messages().isEmpty()) {
                    throw new InvalidRequestException("messages must not be empty");
                }
                tokens = ChatPrompts.encode(model, r.messages(), true);
                admission.checkPrompt(model, tokens, "messages");
                maxTokens = admission.maxTokens(model, r.maxTokens(), "max_tokens", model.contextLength() - tokens.length);
            }
            if (r.maxTokens() != null && r.maxTokens() < 1) {
                throw new InvalidRequestException("max_tokens must be at least 1, was " + r.maxTokens());
            }
            SamplingParams sampling = OpenAiSampling.params(r, maxTokens, null);
            if (!sampling.isGreedy() && sampling.seed() == null) {
                // A seed of our own, so that a replica resuming the request can continue the same draws.
                synchronized (SEEDS) {
                    sampling = sampling.toBuilder().seed(SEEDS.nextLong()).build();
                }
            }
            JsonNode original = JSON.readTree(payload);
            String replyTopic = r.replyTopic() == null ? defaultReplyTopic : r.replyTopic();
            return new AdmittedRequest(r.id(), original, tokens, sampling, r.streaming(), replyTopic,
                    r.priority() == null ? 0 : r.priority());
        } catch (OpenAiException e) {
            throw new InvalidRequestException(e.getMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("malformed request: " + e.getOriginalMessage());
        }
    }
}
