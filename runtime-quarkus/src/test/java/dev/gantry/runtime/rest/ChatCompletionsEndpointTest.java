package dev.gantry.runtime.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.runtime.testing.ServerSentEvents;
import dev.gantry.runtime.testing.Stories260KProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /v1/chat/completions}: the chat template, OpenAI's response and chunk shapes, refusals by name. */
@QuarkusTest
@TestProfile(Stories260KProfile.class)
class ChatCompletionsEndpointTest {

    static final List<Map<String, Object>> CONVERSATION = List.of(
            Map.of("role", "system", "content", "You tell short stories."),
            Map.of("role", "user", "content", "Tell me about a cat."));

    static JsonPath chat(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/chat/completions")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
    }

    static ValidatableResponse error(Map<String, Object> body, int status, String param) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/chat/completions").then()
                .statusCode(status).contentType(ContentType.JSON).body("error.param", equalTo(param));
    }

    @Test
    void replyIsTheGreedyContinuationOfTheRenderedConversation() {
        List<Integer> prompt = given().contentType(ContentType.JSON).body(Map.of("messages", CONVERSATION))
                .post("/tokenize").jsonPath().getList("tokens", Integer.class);
        String completion = CompletionsEndpointTest.complete(Map.of("prompt", prompt, "max_tokens", 16,
                "temperature", 0)).getString("choices[0].text");

        JsonPath r = chat(Map.of("messages", CONVERSATION, "max_tokens", 16, "temperature", 0));
        assertTrue(r.getString("id").startsWith("chatcmpl-"));
        assertEquals("chat.completion", r.getString("object"));
        assertEquals("assistant", r.getString("choices[0].message.role"));
        assertEquals(completion, r.getString("choices[0].message.content"));
        assertEquals("length", r.getString("choices[0].finish_reason"));
        assertEquals(prompt.size(), r.getInt("usage.prompt_tokens"));
        assertEquals(16, r.getInt("usage.completion_tokens"));
    }

    @Test
    void maxCompletionTokensAndContentPartsAreHonoured() {
        Map<String, Object> parts = Map.of("role", "user", "content",
                List.of(Map.of("type", "text", "text", "Tell me about"), Map.of("type", "text", "text", "a cat.")));
        JsonPath r = chat(Map.of("messages", List.of(parts), "max_completion_tokens", 5, "temperature", 0));
        assertEquals(5, r.getInt("usage.completion_tokens"));
    }

    @Test
    void streamStartsWithTheRoleThenContentThenFinish() {
        Map<String, Object> body = new HashMap<>(Map.of("messages", CONVERSATION, "max_tokens", 12, "temperature", 0));
        String whole = chat(body).getString("choices[0].message.content");
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));
        String raw = given().contentType(ContentType.JSON).body(body).post("/v1/chat/completions").then()
                .statusCode(200).contentType("text/event-stream").extract().asString();
        List<JsonNode> events = ServerSentEvents.jsonUntilDone(raw);

        JsonNode first = events.getFirst().get("choices").get(0);
        assertEquals("assistant", first.get("delta").get("role").asText());
        assertEquals("", first.get("delta").get("content").asText());
        StringBuilder content = new StringBuilder();
        String finish = null;
        for (JsonNode e : events.subList(1, events.size() - 1)) {
            assertEquals("chat.completion.chunk", e.get("object").asText());
            JsonNode choice = e.get("choices").get(0);
            assertFalse(choice.get("delta").has("role"));
            if (choice.get("delta").has("content")) {
                content.append(choice.get("delta").get("content").asText());
            }
            if (!choice.get("finish_reason").isNull()) {
                finish = choice.get("finish_reason").asText();
                assertTrue(choice.get("delta").isEmpty(), "the finishing delta is empty");
            }
        }
        assertEquals(whole, content.toString());
        assertEquals("length", finish);
        JsonNode usage = events.getLast();
        assertEquals(0, usage.get("choices").size());
        assertEquals(12, usage.get("usage").get("completion_tokens").asInt());
    }

    @Test
    void logprobsFollowChatsFormat() {
        JsonPath r = chat(Map.of("messages", CONVERSATION, "max_tokens", 4, "temperature", 0, "logprobs", true,
                "top_logprobs", 3));
        List<Map<String, Object>> content = r.getList("choices[0].logprobs.content");
        assertEquals(4, content.size());
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> token : content) {
            text.append(token.get("token"));
            assertTrue(((List<?>) token.get("top_logprobs")).size() <= 3);
            assertFalse(((List<?>) token.get("bytes")).isEmpty() && !token.get("token").equals(""));
        }
        assertEquals(r.getString("choices[0].message.content"), text.toString());
    }

    @Test
    void severalChoicesWithASeedRepeat() {
        Map<String, Object> body = Map.of("messages", CONVERSATION, "max_tokens", 8, "temperature", 1.0, "n", 3,
                "seed", 11);
        JsonPath a = chat(body);
        JsonPath b = chat(body);
        assertEquals(3, a.getList("choices").size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, a.getInt("choices[" + i + "].index"));
            assertEquals(a.getString("choices[" + i + "].message.content"),
                    b.getString("choices[" + i + "].message.content"));
        }
    }

    @Test
    void neutralValuesOfUnsupportedFieldsAreAccepted() {
        chat(Map.ofEntries(Map.entry("messages", CONVERSATION), Map.entry("max_tokens", 2),
                Map.entry("tools", List.of()), Map.entry("tool_choice", "none"),
                Map.entry("response_format", Map.of("type", "text")), Map.entry("store", false),
                Map.entry("modalities", List.of("text")), Map.entry("service_tier", "auto"), Map.entry("user", "u"),
                Map.entry("parallel_tool_calls", false), Map.entry("prompt_cache_key", "k")));
    }

    @Test
    void unsupportedFeaturesAreRefusedByName() {
        error(Map.of("messages", CONVERSATION, "tools", List.of(Map.of("type", "function",
                "function", Map.of("name", "f")))), 400, "tools").body("error.message", containsString("not supported"));
        error(Map.of("messages", CONVERSATION, "response_format", Map.of("type", "json_object")), 400,
                "response_format");
        error(Map.of("messages", CONVERSATION, "store", true), 400, "store");
        error(Map.of("messages", CONVERSATION, "logit_bias", Map.of("5", 1)), 400, "logit_bias");
        error(Map.of("messages", CONVERSATION, "audio", Map.of("voice", "alloy")), 400, "audio");
        error(Map.of("messages", List.of(Map.of("role", "user", "content",
                List.of(Map.of("type", "image_url", "image_url", Map.of("url", "http://x/y.png")))))), 400,
                "messages[0].content[0].type");
        error(Map.of("messages", List.of(Map.of("role", "tool", "content", "42", "tool_call_id", "c1"))), 400,
                "messages[0].role");
    }

    @Test
    void malformedRequestsNameTheField() {
        error(Map.of("messages", List.of()), 400, "messages");
        error(Map.of("max_tokens", 3), 400, "messages");
        error(Map.of("messages", List.of(Map.of("role", "wizard", "content", "hi"))), 400, "messages[0].role");
        error(Map.of("messages", List.of(Map.of("role", "user"))), 400, "messages[0].content");
        error(Map.of("messages", List.of(Map.of("role", "user", "content", "hi", "mood", "happy"))), 400,
                "messages[0].mood");
        error(Map.of("messages", CONVERSATION, "top_logprobs", 2), 400, "top_logprobs");
        error(Map.of("messages", CONVERSATION, "max_completion_tokens", 0), 400, "max_completion_tokens");
        error(Map.of("messages", CONVERSATION, "temperature", 9), 400, "temperature");
        error(Map.of("messages", CONVERSATION, "model", "other"), 404, "model");
        error(Map.of("messages", CONVERSATION, "wat", true), 400, "wat");
    }
}
