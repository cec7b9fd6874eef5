package dev.gantry.runtime.rest;

import dev.gantry.engine.loop.LoopStats;
import dev.gantry.runtime.serving.ServiceLifecycle;
import dev.gantry.runtime.testing.PrometheusScrape;
import dev.gantry.runtime.testing.Stories260KProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prometheus metrics with vLLM's names move with the traffic; a client that goes away frees its KV blocks. */
@QuarkusTest
@TestProfile(Stories260KProfile.class)
class MetricsAndCancellationTest {

    static final List<String> VLLM_NAMES = List.of("gantry:num_requests_running", "gantry:num_requests_waiting",
            "gantry:kv_cache_usage_perc", "gantry:prompt_tokens_total", "gantry:generation_tokens_total",
            "gantry:num_preemptions_total", "gantry:prefix_cache_queries_total", "gantry:prefix_cache_hits_total",
            "gantry:spec_decode_num_draft_tokens_total", "gantry:spec_decode_num_accepted_tokens_total",
            "gantry:request_success_total", "gantry:time_to_first_token_seconds_bucket",
            "gantry:inter_token_latency_seconds_bucket", "gantry:e2e_request_latency_seconds_bucket",
            "gantry:request_queue_time_seconds_bucket");

    @Inject
    ServiceLifecycle lifecycle;

    @TestHTTPResource("/")
    URI root;

    @Test
    void servingMetricsAreExposedAndMove() {
        PrometheusScrape before = PrometheusScrape.now();
        for (String name : VLLM_NAMES) {
            assertTrue(before.has(name), name + " is missing from /q/metrics");
        }
        given().contentType(ContentType.JSON).body(Map.of("prompt", "Once upon a time", "max_tokens", 10,
                "temperature", 0)).post("/v1/completions").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("prompt", "Once upon a time", "max_tokens", 10,
                "temperature", 0)).post("/v1/completions").then().statusCode(200);
        PrometheusScrape after = PrometheusScrape.now();

        assertEquals(20, after.value("gantry:generation_tokens_total") - before.value("gantry:generation_tokens_total"));
        assertTrue(after.value("gantry:prompt_tokens_total") > before.value("gantry:prompt_tokens_total"));
        assertEquals(2, after.value("gantry:request_success_total", "finished_reason=\"length\"")
                - before.value("gantry:request_success_total", "finished_reason=\"length\""));
        assertEquals(2, after.value("gantry:time_to_first_token_seconds_count")
                - before.value("gantry:time_to_first_token_seconds_count"));
        assertEquals(18, after.value("gantry:inter_token_latency_seconds_count")
                - before.value("gantry:inter_token_latency_seconds_count"));
        assertEquals(2, after.value("gantry:e2e_request_latency_seconds_count")
                - before.value("gantry:e2e_request_latency_seconds_count"));
        assertEquals(2, after.value("gantry:request_queue_time_seconds_count")
                - before.value("gantry:request_queue_time_seconds_count"));
        // The second identical prompt finds the first one's full blocks... when the prompt fills a block.
        assertTrue(after.value("gantry:prefix_cache_queries_total") > before.value("gantry:prefix_cache_queries_total"));
        assertTrue(after.text().contains("model_name=\""));
    }

    @Test
    void aClientThatDisconnectsMidStreamCancelsItsRequest() throws Exception {
        assertCancelledWhenTheClientLeaves(true);
    }

    @Test
    void aClientThatDisconnectsWhileWaitingCancelsItsRequest() throws Exception {
        assertCancelledWhenTheClientLeaves(false);
    }

    private void assertCancelledWhenTheClientLeaves(boolean stream) throws Exception {
        double cancelledBefore = PrometheusScrape.now().value("gantry:request_success_total",
                "finished_reason=\"cancelled\"");
        long generatedBefore = stats().generatedTokens();
        String body = "{\"prompt\":\"Once upon a time\",\"max_tokens\":1500,\"temperature\":0,\"stream\":" + stream
                + ",\"ignore_eos\":true}";
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: " + root.getHost() + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (stream) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                int events = 0;
                for (String line = in.readLine(); line != null && events < 3; line = in.readLine()) {
                    if (line.startsWith("data: {")) {
                        events++;
                    }
                }
                assertEquals(3, events, "the stream started");
            } else {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (stats().generatedTokens() - generatedBefore < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            }
            assertEquals(1, stats().running(), "the request runs");
        }
        // The socket is closed: the service notices and cancels the generation.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while ((stats().running() > 0 || stats().kvUsage() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, stats().running(), "no request runs");
        assertEquals(0.0, stats().kvUsage(), "its KV blocks are free");
        assertTrue(stats().generatedTokens() - generatedBefore < 1500, "generation stopped early");
        double cancelledAfter = PrometheusScrape.now().value("gantry:request_success_total",
                "finished_reason=\"cancelled\"");
        assertEquals(1, cancelledAfter - cancelledBefore);
    }

    private LoopStats stats() {
        return lifecycle.served().orElseThrow().engine().stats();
    }
}
