package dev.gantry.runtime.rest;

import dev.gantry.runtime.testing.SharedAssets;
import dev.gantry.runtime.testing.Stories260KProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoints around generation: models, tokenizer, plugins, health, OpenAPI, unknown paths. */
@QuarkusTest
@TestProfile(Stories260KProfile.class)
class ServiceEndpointsTest {

    @Test
    void modelsListsTheServedModel() {
        JsonPath r = given().get("/v1/models").then().statusCode(200).extract().jsonPath();
        assertEquals("list", r.getString("object"));
        assertEquals(1, r.getList("data").size());
        String id = r.getString("data[0].id");
        assertEquals(SharedAssets.stories260K().isPresent() ? "stories260K" : "gantry-demo", id);
        assertEquals("model", r.getString("data[0].object"));
        assertEquals("gantry", r.getString("data[0].owned_by"));
        assertTrue(r.getLong("data[0].created") > 0);
        given().get("/v1/models/" + id).then().statusCode(200).body("id", equalTo(id));
        given().get("/v1/models/gpt-4").then().statusCode(404).body("error.code", equalTo("model_not_found"));
    }

    @Test
    void tokenizeAndDetokenizeRoundTrip() {
        JsonPath t = given().contentType(ContentType.JSON)
                .body(Map.of("prompt", "Once upon a time", "return_token_strs", true))
                .post("/tokenize").then().statusCode(200).extract().jsonPath();
        List<Integer> tokens = t.getList("tokens", Integer.class);
        assertEquals(tokens.size(), t.getInt("count"));
        assertEquals(tokens.size(), t.getList("token_strs").size());
        assertTrue(t.getInt("max_model_len") > tokens.size());
        if (SharedAssets.stories260K().isPresent()) {
            assertEquals(List.of(1, 403, 407, 261, 378), tokens);
        }
        given().contentType(ContentType.JSON).body(Map.of("tokens", tokens)).post("/detokenize").then()
                .statusCode(200).body("prompt", equalTo(" Once upon a time"));
        List<Integer> plain = given().contentType(ContentType.JSON)
                .body(Map.of("prompt", "Once upon a time", "add_special_tokens", false)).post("/tokenize")
                .jsonPath().getList("tokens", Integer.class);
        assertEquals(tokens.subList(1, tokens.size()), plain);
        given().contentType(ContentType.JSON).body(Map.of("tokens", List.of(-1))).post("/detokenize").then()
                .statusCode(400).body("error.param", equalTo("tokens"));
        given().contentType(ContentType.JSON).body(Map.of("add_special_tokens", true)).post("/tokenize").then()
                .statusCode(400).body("error.param", equalTo("prompt"));
    }

    @Test
    void pluginsListsInstalledAndActiveImplementations() {
        JsonPath r = given().get("/v1/plugins").then().statusCode(200).extract().jsonPath();
        assertEquals("baseline/fcfs", r.getString("active.scheduler"));
        assertEquals("baseline/none", r.getString("active.speculator"));
        assertEquals("baseline/dense", r.getString("active.attention"));
        assertEquals("baseline/f32", r.getString("active.kv-codec"));
        assertEquals("baseline/single-instance", r.getString("active.planner"));
        assertTrue(r.getList("installed.name").contains("baseline"));
        assertTrue(!r.getString("installed[0].version").isBlank());
        assertEquals("bundled", r.getString("installed.find { it.name == 'baseline' }.source"));
        List<String> speculators = r.getList("installed[0].provides.speculator.name");
        assertTrue(speculators.contains("none") && speculators.contains("ngram"), speculators.toString());
    }

    @Test
    void healthIsLiveAndReadyOnceLoaded() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("gantry-model"));
    }

    @Test
    void openApiDocumentsTheEndpoints() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/completions"))
                .body(containsString("/v1/chat/completions"))
                .body(containsString("/v1/models"))
                .body(containsString("/tokenize"))
                .body(containsString("/v1/plugins"));
    }

    @Test
    void errorsOutsideTheEndpointsAreOpenAiShaped() {
        given().get("/v1/nothing-here").then().statusCode(404).body("error.type", equalTo("invalid_request_error"));
        given().get("/v1/completions").then().statusCode(405).body("error.message", containsString("method"));
        given().contentType(ContentType.TEXT).body("hello").post("/v1/completions").then().statusCode(415)
                .body("error.message", containsString("application/json"));
    }
}
