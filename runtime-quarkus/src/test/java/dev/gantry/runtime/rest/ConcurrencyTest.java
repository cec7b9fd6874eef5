package dev.gantry.runtime.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.runtime.testing.Stories260KProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Requests batched together by the engine answer exactly as they do one at a time. */
@QuarkusTest
@TestProfile(Stories260KProfile.class)
class ConcurrencyTest {

    static final List<String> PROMPTS = List.of("Once upon a time", "The little dog", "Lily and Ben", "One day",
            "The sun was", "Tom had a red", "", "She saw a big");

    @TestHTTPResource("/v1/completions")
    URI completions;

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void thirtyTwoParallelGreedyRequestsEqualTheirSingleRuns() throws Exception {
        List<Map<String, Object>> requests = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            requests.add(Map.of("prompt", PROMPTS.get(i % PROMPTS.size()), "max_tokens", 12 + 4 * (i / 8),
                    "temperature", 0));
        }
        List<String> alone = new ArrayList<>();
        for (Map<String, Object> r : requests.subList(0, 8)) {
            alone.add(text(r));
        }
        for (Map<String, Object> r : requests.subList(8, 32)) {
            alone.add(text(r));
        }

        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> together = new ArrayList<>();
            for (Map<String, Object> r : requests) {
                together.add(pool.submit(() -> {
                    start.await();
                    return text(r);
                }));
            }
            start.countDown();
            for (int i = 0; i < requests.size(); i++) {
                assertEquals(alone.get(i), together.get(i).get(), "request " + i + " " + requests.get(i));
            }
        }
    }

    private String text(Map<String, Object> body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(completions)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode r = json.readTree(response.body());
        return r.get("choices").get(0).get("text").asText();
    }
}
