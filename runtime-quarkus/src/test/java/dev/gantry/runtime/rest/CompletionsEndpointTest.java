package dev.gantry.runtime.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.runtime.testing.Oracle;
import dev.gantry.runtime.testing.ServerSentEvents;
import dev.gantry.runtime.testing.SharedAssets;
import dev.gantry.runtime.testing.Stories260KProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /v1/completions}: OpenAI's request and response, field by field, streamed and not. */
@QuarkusTest
@TestProfile(Stories260KProfile.class)
class CompletionsEndpointTest {

    static JsonPath complete(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/completions")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
    }

    static String stream(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/completions")
                .then().statusCode(200).contentType("text/event-stream").extract().asString();
    }

    @Test
    void greedyCompletionsEqualTheOracleTokenForToken() {
        for (Oracle.Case c : Oracle.cases()) {
            JsonPath r = complete(Map.of("prompt", c.prompt(), "max_tokens", c.generatedTokens().size(),
                    "temperature", 0, "logprobs", 0, "return_tokens_as_token_ids", true));
            List<Integer> tokens = r.<String>getList("choices[0].logprobs.tokens").stream()
                    .map(t -> Integer.parseInt(t.substring("token_id:".length()))).toList();
            assertEquals(c.generatedTokens(), tokens, "tokens for prompt '" + c.prompt() + "'");
            assertEquals(c.generatedText(), r.getString("choices[0].text"), "text for prompt '" + c.prompt() + "'");
            assertEquals(c.promptTokens().size(), r.getInt("usage.prompt_tokens"));
            assertEquals(c.generatedTokens().size(), r.getInt("usage.completion_tokens"));
            assertEquals(c.promptTokens().size() + c.generatedTokens().size(), r.getInt("usage.total_tokens"));
        }
    }

    @Test
    void responseHasOpenAisFields() {
        JsonPath r = complete(Map.of("prompt", "Once upon a time", "max_tokens", 5, "temperature", 0, "user", "u-1"));
        assertTrue(r.getString("id").startsWith("cmpl-"));
        assertEquals("text_completion", r.getString("object"));
        assertTrue(r.getLong("created") > 1_700_000_000L);
        assertEquals(r.getString("model"), given().get("/v1/models").jsonPath().getString("data[0].id"));
        assertEquals(1, r.getList("choices").size());
        assertEquals(0, r.getInt("choices[0].index"));
        assertNull(r.get("choices[0].logprobs"));
        assertEquals("length", r.getString("choices[0].finish_reason"));
        assertEquals(5, r.getInt("usage.completion_tokens"));
        assertTrue(r.getMap("$").containsKey("system_fingerprint"));
    }

    @Test
    void streamedChunksAddUpToTheSameTextAndEndWithDone() {
        Map<String, Object> body = Map.of("prompt", "Once upon a time", "max_tokens", 40, "temperature", 0);
        String whole = complete(body).getString("choices[0].text");
        Map<String, Object> streaming = new java.util.HashMap<>(body);
        streaming.put("stream", true);
        streaming.put("stream_options", Map.of("include_usage", true));
        List<JsonNode> events = ServerSentEvents.jsonUntilDone(stream(streaming));

        StringBuilder text = new StringBuilder();
        String id = events.getFirst().get("id").asText();
        String finish = null;
        for (JsonNode e : events.subList(0, events.size() - 1)) {
            assertEquals(id, e.get("id").asText(), "one id for every chunk");
            assertEquals("text_completion", e.get("object").asText());
            assertTrue(e.get("usage").isNull(), "usage only in the last chunk");
            JsonNode choice = e.get("choices").get(0);
            assertEquals(0, choice.get("index").asInt());
            text.append(choice.get("text").asText());
            if (!choice.get("finish_reason").isNull()) {
                finish = choice.get("finish_reason").asText();
            }
        }
        assertEquals(whole, text.toString());
        assertEquals("length", finish);
        JsonNode usage = events.getLast();
        assertEquals(0, usage.get("choices").size());
        assertEquals(40, usage.get("usage").get("completion_tokens").asInt());
        assertEquals(id, usage.get("id").asText());
    }

    @Test
    void theEmptyPromptIsValid() {
        JsonPath r = complete(Map.of("prompt", "", "max_tokens", 4, "temperature", 0));
        assertEquals(1, r.getInt("usage.prompt_tokens"), "BOS only");
        assertEquals(4, r.getInt("usage.completion_tokens"));
    }

    @Test
    void severalPromptsAndChoicesAreIndexedPromptByChoice() {
        JsonPath r = complete(Map.of("prompt", List.of("Once upon a time", "The cat"), "n", 2, "max_tokens", 6,
                "temperature", 0));
        assertEquals(4, r.getList("choices").size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, r.getInt("choices[" + i + "].index"));
        }
        assertEquals(r.getString("choices[0].text"), r.getString("choices[1].text"), "greedy choices agree");
        assertEquals(r.getString("choices[2].text"), r.getString("choices[3].text"));
        String alone = complete(Map.of("prompt", "The cat", "max_tokens", 6, "temperature", 0))
                .getString("choices[0].text");
        assertEquals(alone, r.getString("choices[2].text"));
        assertEquals(24, r.getInt("usage.completion_tokens"));
    }

    @Test
    void tokenPromptsAndEchoFollowOpenAi() {
        List<Integer> ids = given().contentType(ContentType.JSON).body(Map.of("prompt", "Once upon a time"))
                .post("/tokenize").jsonPath().getList("tokens", Integer.class);
        String fromText = complete(Map.of("prompt", "Once upon a time", "max_tokens", 8, "temperature", 0))
                .getString("choices[0].text");
        JsonPath fromIds = complete(Map.of("prompt", ids, "max_tokens", 8, "temperature", 0));
        assertEquals(fromText, fromIds.getString("choices[0].text"));
        JsonPath nested = complete(Map.of("prompt", List.of(ids, ids), "max_tokens", 8, "temperature", 0));
        assertEquals(fromText, nested.getString("choices[1].text"));

        JsonPath echoed = complete(Map.of("prompt", "Once upon a time", "max_tokens", 8, "temperature", 0,
                "echo", true));
        assertEquals("Once upon a time" + fromText, echoed.getString("choices[0].text"));
    }

    @Test
    void legacyLogprobsDescribeEveryToken() {
        JsonPath r = complete(Map.of("prompt", "Once upon a time", "max_tokens", 6, "temperature", 0, "logprobs", 2));
        List<String> tokens = r.getList("choices[0].logprobs.tokens");
        List<Float> values = r.getList("choices[0].logprobs.token_logprobs", Float.class);
        List<Map<String, Float>> tops = r.getList("choices[0].logprobs.top_logprobs");
        List<Integer> offsets = r.getList("choices[0].logprobs.text_offset", Integer.class);
        assertEquals(6, tokens.size());
        assertEquals(6, values.size());
        assertEquals(6, tops.size());
        assertEquals(String.join("", tokens), r.getString("choices[0].text"));
        int offset = 0;
        for (int i = 0; i < tokens.size(); i++) {
            assertEquals(offset, offsets.get(i));
            offset += tokens.get(i).length();
            assertTrue(values.get(i) <= 0);
            assertTrue(tops.get(i).size() <= 2 && !tops.get(i).isEmpty());
            assertTrue(tops.get(i).containsKey(tokens.get(i)), "greedy: the chosen token is the most likely");
        }
    }

    @Test
    void stopStringsEndTheTextBeforeThem() {
        SharedAssets.requireStories260K();
        JsonPath r = complete(Map.of("prompt", "Once upon a time", "max_tokens", 40, "temperature", 0,
                "stop", List.of("Lily")));
        assertEquals(", there was a little girl named ", r.getString("choices[0].text"));
        assertEquals("stop", r.getString("choices[0].finish_reason"));
    }

    @Test
    void seededSamplingRepeats() {
        Map<String, Object> body = Map.of("prompt", "Once upon a time", "max_tokens", 12, "temperature", 1.0,
                "top_p", 0.9, "seed", 42, "n", 2);
        JsonPath a = complete(body);
        JsonPath b = complete(body);
        assertEquals(a.getString("choices[0].text"), b.getString("choices[0].text"));
        assertEquals(a.getString("choices[1].text"), b.getString("choices[1].text"));
    }

    @Test
    void vllmSamplingExtrasAreAccepted() {
        JsonPath r = complete(Map.ofEntries(Map.entry("prompt", "Once upon a time"), Map.entry("max_tokens", 8),
                Map.entry("temperature", 0.8), Map.entry("seed", 1), Map.entry("top_k", 20), Map.entry("min_p", 0.05),
                Map.entry("repetition_penalty", 1.1), Map.entry("stop_token_ids", List.of(2)),
                Map.entry("min_tokens", 2), Map.entry("presence_penalty", 0.5), Map.entry("frequency_penalty", 0.5)));
        assertTrue(r.getInt("usage.completion_tokens") >= 2);
    }

    @Test
    void fieldsOpenAiDoesNotDefineAreRefusedByName() {
        error(Map.of("prompt", "x", "frobnicate", 1), 400, "frobnicate")
                .body("error.message", containsString("frobnicate"))
                .body("error.type", equalTo("invalid_request_error"));
        error(Map.of("prompt", "x", "stream", true, "stream_options", Map.of("include_usage", true, "extra", 1)), 400,
                "stream_options.extra");
    }

    @Test
    void unsupportedFieldsAreRefusedByName() {
        error(Map.of("prompt", "x", "best_of", 2), 400, "best_of").body("error.message", containsString("not supported"));
        error(Map.of("prompt", "x", "suffix", "the end"), 400, "suffix");
        error(Map.of("prompt", "x", "logit_bias", Map.of("50", 10)), 400, "logit_bias");
        error(Map.of("prompt", "x", "echo", true, "logprobs", 1), 400, "logprobs");
        // Neutral values of unsupported fields are fine.
        complete(Map.of("prompt", "x", "best_of", 1, "suffix", "", "logit_bias", Map.of(), "max_tokens", 1));
    }

    @Test
    void invalidValuesNameTheirField() {
        error(Map.of("prompt", "x", "temperature", -1), 400, "temperature");
        error(Map.of("prompt", "x", "top_p", 1.5), 400, "top_p");
        error(Map.of("prompt", "x", "max_tokens", 0), 400, "max_tokens");
        error(Map.of("prompt", "x", "max_tokens", "many"), 400, "max_tokens");
        error(Map.of("prompt", "x", "n", 0), 400, "n");
        error(Map.of("prompt", "x", "stop", List.of("")), 400, "stop");
        error(Map.of("prompt", "x", "stop", 5), 400, "stop");
        error(Map.of("prompt", "x", "presence_penalty", 3), 400, "presence_penalty");
        error(Map.of("prompt", "x", "logprobs", 50), 400, "logprobs");
        error(Map.of("prompt", "x", "stream_options", Map.of("include_usage", true)), 400, "stream_options");
        error(Map.of("max_tokens", 3), 400, "prompt");
        error(Map.of("prompt", List.of()), 400, "prompt");
        error(Map.of("prompt", List.of(1, 999_999)), 400, "prompt");
        error(Map.of("prompt", List.of("a", 1)), 400, "prompt");
        error(Map.of("prompt", "x", "max_tokens", 1_000_000), 400, "max_tokens");
        error(Map.of("prompt", "word ".repeat(5000)), 400, "prompt")
                .body("error.message", containsString("context"));
        given().contentType(ContentType.JSON).body("{\"prompt\": ").post("/v1/completions").then().statusCode(400)
                .body("error.message", containsString("not valid JSON")).body("error.param", nullValue());
        given().contentType(ContentType.JSON).body("[1, 2]").post("/v1/completions").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void anotherModelIs404AndNoModelMeansTheServedOne() {
        error(Map.of("prompt", "x", "model", "gpt-4"), 404, "model").body("error.code", equalTo("model_not_found"));
        String served = given().get("/v1/models").jsonPath().getString("data[0].id");
        complete(Map.of("prompt", "x", "model", served, "max_tokens", 1));
        complete(Map.of("prompt", "x", "max_tokens", 1));
    }

    static io.restassured.response.ValidatableResponse error(Map<String, Object> body, int status, String param) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/completions").then().statusCode(status)
                .contentType(ContentType.JSON).body("error.param", equalTo(param))
                .body("error.message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
    }

    /** The chunks of several choices interleave; each choice's text still adds up. */
    @Test
    void streamedChoicesCarryTheirIndex() {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("prompt", List.of("Once upon a time", "The dog"),
                "max_tokens", 10, "temperature", 0, "echo", true));
        JsonPath whole = complete(body);
        body.put("stream", true);
        List<JsonNode> events = ServerSentEvents.jsonUntilDone(stream(body));
        List<StringBuilder> texts = new ArrayList<>(List.of(new StringBuilder(), new StringBuilder()));
        for (JsonNode e : events) {
            JsonNode choice = e.get("choices").get(0);
            texts.get(choice.get("index").asInt()).append(choice.get("text").asText());
        }
        assertEquals(whole.getString("choices[0].text"), texts.get(0).toString());
        assertEquals(whole.getString("choices[1].text"), texts.get(1).toString());
    }
}
