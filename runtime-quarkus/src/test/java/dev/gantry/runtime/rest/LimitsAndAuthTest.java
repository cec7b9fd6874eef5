package dev.gantry.runtime.rest;

import dev.gantry.runtime.testing.LimitedProfile;
import dev.gantry.runtime.testing.PrometheusScrape;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits of a deployment: API keys (401), body size (413), prompt and output length (400), the waiting
 * queue (429 with Retry-After), on the built-in demo model, with vLLM's metric names.
 */
@QuarkusTest
@TestProfile(LimitedProfile.class)
class LimitsAndAuthTest {

    static RequestSpecification authorized() {
        return given().header("Authorization", "Bearer " + LimitedProfile.KEY).contentType(ContentType.JSON);
    }

    @Test
    void apiKeysAreRequiredOnTheApiOnly() {
        given().get("/v1/models").then().statusCode(401).contentType(ContentType.JSON)
                .body("error.code", equalTo("invalid_api_key"));
        given().header("Authorization", "Bearer sk-wrong").get("/v1/models").then().statusCode(401)
                .body("error.message", containsString("Incorrect API key"));
        given().header("Authorization", "Bearer sk-other-key").get("/v1/models").then().statusCode(200);
        authorized().get("/v1/models").then().statusCode(200).body("data[0].id", equalTo("gantry-demo"));
        given().contentType(ContentType.JSON).body(Map.of("prompt", "hi")).post("/v1/completions").then()
                .statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("prompt", "hi")).post("/tokenize").then().statusCode(401);
        // Probes, scrapers and the API description stay open.
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void theDemoModelServes() {
        authorized().body(Map.of("prompt", "hello", "max_tokens", 5, "temperature", 0)).post("/v1/completions")
                .then().statusCode(200).body("model", equalTo("gantry-demo"))
                .body("usage.completion_tokens", equalTo(5));
        authorized().body(Map.of("messages", java.util.List.of(Map.of("role", "user", "content", "hi")),
                "max_tokens", 3)).post("/v1/chat/completions").then().statusCode(200)
                .body("choices[0].message.role", equalTo("assistant"));
    }

    @Test
    void oversizeBodiesAre413() {
        authorized().body(Map.of("prompt", "x".repeat(4096))).post("/v1/completions").then().statusCode(413)
                .contentType(ContentType.JSON).body("error.code", equalTo("request_too_large"))
                .body("error.message", containsString("gantry.limits.max-body-bytes"));
    }

    @Test
    void promptAndOutputLimitsNameTheField() {
        authorized().body(Map.of("prompt", "the quick brown fox jumps over the lazy dog. ".repeat(3), "max_tokens", 2))
                .post("/v1/completions").then().statusCode(400).body("error.param", equalTo("prompt"))
                .body("error.message", containsString("gantry.limits.max-prompt-tokens"));
        authorized().body(Map.of("prompt", "hi", "max_tokens", LimitedProfile.MAX_TOKENS + 1))
                .post("/v1/completions").then().statusCode(400).body("error.param", equalTo("max_tokens"))
                .body("error.message", containsString("gantry.limits.max-tokens"));
        authorized().body(Map.of("messages", java.util.List.of(Map.of("role", "user", "content", "hi")),
                        "max_completion_tokens", LimitedProfile.MAX_TOKENS + 1)).post("/v1/chat/completions")
                .then().statusCode(400).body("error.param", equalTo("max_completion_tokens"));
        // Without a length, a chat reply stops at the limit.
        authorized().body(Map.of("messages", java.util.List.of(Map.of("role", "user", "content", "hi")),
                        "ignore_eos", true)).post("/v1/chat/completions")
                .then().statusCode(200).body("usage.completion_tokens", equalTo(LimitedProfile.MAX_TOKENS));
    }

    @Test
    void aFullQueueIs429WithRetryAfter() {
        // Two choices need two places in a queue of one: refused at once, all or nothing.
        authorized().body(Map.of("prompt", "hi", "n", 2, "max_tokens", 2)).post("/v1/completions").then()
                .statusCode(429).header("Retry-After", notNullValue())
                .body("error.type", equalTo("rate_limit_error"))
                .body("error.message", containsString("queue is full"));
        authorized().body(Map.of("prompt", "hi", "max_tokens", 2)).post("/v1/completions").then().statusCode(200);
    }

    @Test
    void metricsCarryThePrefixVllmDashboardsExpect() {
        authorized().body(Map.of("prompt", "hi", "max_tokens", 2)).post("/v1/completions").then().statusCode(200);
        PrometheusScrape scrape = PrometheusScrape.now();
        assertTrue(scrape.has("vllm:num_requests_running"));
        assertTrue(scrape.has("vllm:time_to_first_token_seconds_bucket"));
        assertTrue(scrape.value("vllm:generation_tokens_total") >= 2);
        assertTrue(!scrape.has("gantry:num_requests_running"));
    }

    @Test
    void pluginSettingsReachTheEngine() {
        authorized().get("/v1/plugins").then().statusCode(200).body("active.kv-codec", equalTo("baseline/f16"));
    }
}
