package dev.gantry.runtime.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.runtime.testing.KafkaProfile;
import dev.gantry.runtime.testing.KafkaTestClient;
import dev.gantry.runtime.testing.KafkaTestKitResource;
import dev.gantry.runtime.testing.Oracle;
import dev.gantry.runtime.testing.PrometheusScrape;
import dev.gantry.runtime.testing.ResponseLog;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka path against a real broker (in-process, random port): requests in, one answer each, the same tokens
 * as REST and the greedy oracle; bad messages to the dead-letter topic while consumption goes on; a preemption
 * notice checkpoints running requests, which are resumed without a repeated or missing chunk.
 */
@QuarkusTest
@TestProfile(KafkaProfile.class)
class KafkaPipelineTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CHAT = "Tell me a story about a cat";
    static KafkaTestClient kafka;

    @BeforeEach
    void connect() throws InterruptedException {
        if (kafka == null) {
            kafka = new KafkaTestClient(KafkaTestKitResource.bootstrapServers());
        }
        awaitReady();
    }

    @AfterAll
    static void disconnect() {
        if (kafka != null) {
            kafka.close();
        }
    }

    static void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (given().get("/q/health/ready").statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "not ready: " + given().get("/q/health/ready").asString());
            Thread.sleep(100);
        }
    }

    static String request(String id, Map<String, Object> fields) throws Exception {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("id", id);
        return JSON.writeValueAsString(body);
    }

    @Test
    void fiftyRequestsAreAnsweredOnceInOrderWithTheGreedyTokensOfRest() throws Exception {
        List<Oracle.Case> oracle = Oracle.cases();
        String[] prompts = {"", "Once upon a time", "The little dog", "Lily and Tom went to"};
        int maxTokens = 24;
        Map<String, String> promptOf = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            String id = "fifty-" + i;
            String prompt = prompts[i % prompts.length];
            promptOf.put(id, prompt);
            if (i % 10 == 7) {
                // Chat messages, rendered with the model's template as /v1/chat/completions renders them.
                promptOf.put(id, CHAT);
                kafka.send("gantry.requests", id, request(id, Map.of("messages", List.of(Map.of("role", "user",
                        "content", CHAT)), "temperature", 0, "max_tokens", maxTokens)));
                continue;
            }
            // Every fifth request asks for the whole answer in its final message instead of chunks.
            kafka.send("gantry.requests", id, request(id, Map.of("prompt", prompt, "temperature", 0,
                    "max_tokens", maxTokens, "stream", i % 5 != 4)));
        }
        int duplicates = 5;
        for (int i = 0; i < duplicates; i++) {
            // A client's retry of a request already sent: answered once.
            String id = "fifty-" + i;
            kafka.send("gantry.requests", id, request(id, Map.of("prompt", promptOf.get(id), "temperature", 0,
                    "max_tokens", maxTokens)));
        }
        List<ConsumerRecord<String, String>> records = kafka.readUntil("gantry.responses",
                r -> new ResponseLog(only(r, "fifty-")).finished() == 50, Duration.ofSeconds(90));
        // Whatever a duplicate would have produced has had time to arrive by now.
        Thread.sleep(1500);
        records = kafka.readUntil("gantry.responses", r -> false, Duration.ofSeconds(2));
        ResponseLog log = new ResponseLog(only(records, "fifty-"));
        assertEquals(50, log.ids().size());
        Map<String, String> restText = new HashMap<>();
        Map<String, List<Integer>> restTokens = new HashMap<>();
        for (String prompt : prompts) {
            var choice = given().contentType(ContentType.JSON).body(Map.of("prompt", prompt, "temperature", 0,
                            "max_tokens", maxTokens, "logprobs", 0, "return_tokens_as_token_ids", true))
                    .post("/v1/completions").then().statusCode(200).extract().jsonPath();
            restText.put(prompt, choice.getString("choices[0].text"));
            restTokens.put(prompt, choice.getList("choices[0].logprobs.tokens", String.class).stream()
                    .map(t -> Integer.parseInt(t.substring(t.indexOf(':') + 1))).toList());
        }
        restText.put(CHAT, given().contentType(ContentType.JSON)
                .body(Map.of("messages", List.of(Map.of("role", "user", "content", CHAT)), "temperature", 0,
                        "max_tokens", maxTokens))
                .post("/v1/chat/completions").then().statusCode(200).extract().jsonPath()
                .getString("choices[0].message.content"));
        int checkedAgainstOracle = 0;
        int checkedAgainstRest = 0;
        for (int i = 0; i < 50; i++) {
            String id = "fifty-" + i;
            ResponseLog.Answer a = log.answer(id); // contiguous indices, each once, one final message
            String prompt = promptOf.get(id);
            assertEquals(restText.get(prompt), a.text(), id);
            if (restTokens.containsKey(prompt)) {
                assertEquals(restTokens.get(prompt), a.tokens(), id);
                checkedAgainstRest++;
            }
            for (Oracle.Case c : oracle) {
                if (c.prompt().equals(prompt)) {
                    assertEquals(c.generatedTokens().subList(0, a.tokens().size()), a.tokens(), id);
                    checkedAgainstOracle++;
                }
            }
        }
        System.out.printf("kafka 50-request test: 50 requests (5 with chat messages) through a waiting queue of %d,"
                + " %d duplicates produced, %d finals, 50 texts equal to REST, %d token lists equal to REST's, %d"
                + " checked against the oracle, 0 lost, 0 answered twice%n", KafkaProfile.MAX_WAITING, duplicates,
                log.finished(), checkedAgainstRest, checkedAgainstOracle);
    }

    @Test
    void badMessagesGoToTheDeadLetterTopicWithTheReasonAndConsumptionGoesOn() throws Exception {
        String oversize = "Once upon a time ".repeat(KafkaProfile.MAX_PROMPT_TOKENS);
        Map<String, String> bad = new HashMap<>();
        bad.put("dlq-malformed", "{\"id\": \"dlq-malformed\", \"prompt\": ");
        bad.put("dlq-missing-prompt", "{\"id\": \"dlq-missing-prompt\", \"max_tokens\": 4}");
        bad.put("dlq-wrong-type", "{\"id\": \"dlq-wrong-type\", \"prompt\": \"hi\", \"max_tokens\": \"ten\"}");
        bad.put("dlq-unknown-field", "{\"id\": \"dlq-unknown-field\", \"prompt\": \"hi\", \"temprature\": 0}");
        bad.put("dlq-oversize", request("dlq-oversize", Map.of("prompt", oversize)));
        for (var e : bad.entrySet()) {
            kafka.send("gantry.requests", e.getKey(), e.getValue());
        }
        kafka.send("gantry.requests", "dlq-after", request("dlq-after", Map.of("prompt", "Once upon a time",
                "temperature", 0, "max_tokens", 8)));
        List<ConsumerRecord<String, String>> dead = kafka.readUntil("gantry.dlq",
                r -> r.stream().filter(x -> x.key().startsWith("dlq-")).count() >= bad.size(), Duration.ofSeconds(60));
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<String, String> r : dead) {
            if (r.key().startsWith("dlq-")) {
                assertEquals(bad.get(r.key()), r.value(), "the original payload, intact");
                var header = r.headers().lastHeader("gantry-dlq-reason");
                reasons.put(r.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(bad.keySet(), reasons.keySet(), "dead letters: " + reasons);
        assertTrue(reasons.get("dlq-malformed").startsWith("malformed request"), reasons.toString());
        assertTrue(reasons.get("dlq-missing-prompt").startsWith("missing prompt"), reasons.toString());
        assertTrue(reasons.get("dlq-wrong-type").startsWith("malformed request: max_tokens: "), reasons.toString());
        assertTrue(reasons.get("dlq-unknown-field").contains("temprature"), reasons.toString());
        assertTrue(reasons.get("dlq-oversize").contains("gantry.limits.max-prompt-tokens"), reasons.toString());
        var after = kafka.readUntil("gantry.responses", r -> new ResponseLog(only(r, "dlq-after")).finished() == 1,
                Duration.ofSeconds(60));
        ResponseLog.Answer a = new ResponseLog(only(after, "dlq-after")).answer("dlq-after");
        assertEquals(8, a.tokens().size());
        System.out.printf("kafka DLQ test: %d bad messages dead-lettered with reasons %s; the next request answered%n",
                reasons.size(), reasons.keySet());
    }

    @Test
    void aNoticeCheckpointsRunningRequestsAndTheyResumeWithoutARepeatedOrMissingChunk() throws Exception {
        int n = 8;
        int maxTokens = 1000;
        String prompt = "Once upon a time";
        // The uninterrupted greedy run, through REST.
        List<String> ids = given().contentType(ContentType.JSON).body(Map.of("prompt", prompt, "max_tokens", maxTokens,
                        "temperature", 0, "ignore_eos", true, "logprobs", 0, "return_tokens_as_token_ids", true))
                .post("/v1/completions").then().statusCode(200).extract().jsonPath()
                .getList("choices[0].logprobs.tokens", String.class);
        List<Integer> expected = ids.stream().map(t -> Integer.parseInt(t.substring(t.indexOf(':') + 1))).toList();
        for (int i = 0; i < n; i++) {
            kafka.send("gantry.requests", "moved-" + i, request("moved-" + i, Map.of("prompt", prompt,
                    "temperature", 0, "max_tokens", maxTokens, "ignore_eos", true)));
        }
        // Mid-generation: once some chunks are out.
        kafka.readUntil("gantry.responses", r -> only(r, "moved-").size() >= 2 * n, Duration.ofSeconds(60));
        kafka.send("gantry.preemption", KafkaProfile.INSTANCE, "{\"instance\":\"" + KafkaProfile.INSTANCE
                + "\",\"kind\":\"notice\",\"grace_seconds\":0,\"at\":\"2026-11-23T00:00:00Z\"}");
        // A lone replica: its checkpoints wait until the notice is lifted, then it resumes them itself.
        kafka.readUntil("gantry.checkpoints", r -> r.size() >= 1, Duration.ofSeconds(30));
        kafka.send("gantry.preemption", KafkaProfile.INSTANCE, "{\"instance\":\"" + KafkaProfile.INSTANCE
                + "\",\"kind\":\"restore\",\"at\":\"2026-11-23T00:00:01Z\"}");
        var records = kafka.readUntil("gantry.responses", r -> new ResponseLog(only(r, "moved-")).finished() == n,
                Duration.ofSeconds(120));
        ResponseLog log = new ResponseLog(only(records, "moved-"));
        for (int i = 0; i < n; i++) {
            ResponseLog.Answer a = log.answer("moved-" + i); // contiguous indices, each once, one final message
            assertEquals(expected, a.tokens(), "moved-" + i);
        }
        var checkpoints = kafka.readUntil("gantry.checkpoints", r -> false, Duration.ofSeconds(2));
        assertTrue(!checkpoints.isEmpty(), "the notice came after every request had finished");
        PrometheusScrape metrics = PrometheusScrape.now();
        double written = metrics.value("gantry:checkpoints_written_total");
        double resumed = metrics.value("gantry:checkpoint_resumes_total");
        assertEquals(1.0, metrics.value("gantry:preemption_notices_total"));
        assertEquals(checkpoints.size(), (int) written);
        assertEquals(written, resumed);
        assertTrue(metrics.value("gantry:checkpoint_tokens_recomputed_total") > 0);
        awaitReady();
        System.out.printf("kafka preemption test (one replica): %d requests of %d greedy tokens, %d checkpointed and"
                + " resumed, every chunk index once, the tokens of the uninterrupted REST run%n", n, maxTokens,
                checkpoints.size());
    }

    static List<ConsumerRecord<String, String>> only(List<ConsumerRecord<String, String>> records, String prefix) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            if (r.key() != null && r.key().startsWith(prefix)) {
                out.add(r);
            }
        }
        return out;
    }
}
