package dev.gantry.integration;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's life as an operator sees it: a bad setting stops start-up with one message naming the key and
 * the allowed values; SIGTERM turns readiness and new requests to 503 while running streams finish.
 */
class ServiceLifecycleEndToEndTest {

    @Test
    void aBadSettingStopsStartUpNamingTheKeyAndTheAllowedValues() throws Exception {
        try (ServiceProcess service = ServiceProcess.start("bad-settings", Map.of("gantry.scheduler", "fastserve",
                "gantry.device", "tpu"))) {
            assertTrue(service.awaitExit(Duration.ofSeconds(60)), "the service must not start");
            assertNotEquals(0, service.process().exitValue());
            String log = service.log();
            assertTrue(log.contains("Gantry cannot start: "), log);
            assertTrue(log.contains("gantry.scheduler=fastserve: no installed plugin provides a scheduler named"
                    + " 'fastserve'; allowed: fcfs"), log);
            assertTrue(log.contains("gantry.device=tpu is not a device; allowed: auto, cpu, cuda, cuda:N"), log);
        }
    }

    @Test
    void aMissingModelFileStopsStartUp() throws Exception {
        try (ServiceProcess service = ServiceProcess.start("missing-model",
                Map.of("gantry.model.path", "/nonexistent/model.gguf"))) {
            assertTrue(service.awaitExit(Duration.ofSeconds(60)), "the service must not start");
            assertNotEquals(0, service.process().exitValue());
            assertTrue(service.log().contains("gantry.model.path=/nonexistent/model.gguf: no such file"),
                    service.log());
        }
    }

    @Test
    void sigtermDrainsRunningStreamsAndRefusesNewRequests() throws Exception {
        try (ServiceProcess service = ServiceProcess.start("drain", Map.of("gantry.drain-timeout", "60s"))
                .awaitReady(Duration.ofSeconds(90))) {
            // The demo model: a long stream of many choices, long enough to outlast the checks below.
            String body = "{\"prompt\":\"hello\",\"n\":32,\"max_tokens\":200,\"temperature\":0,\"ignore_eos\":true,"
                    + "\"stream\":true}";
            HttpResponse<InputStream> response = service.http().send(HttpRequest.newBuilder(
                            service.base().resolve("/v1/completions")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            AtomicInteger afterSignal = new AtomicInteger();
            String first = events.readLine();
            assertTrue(first.startsWith("data: {"), first);

            service.terminate();
            CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
                String last = null;
                try {
                    for (String line = events.readLine(); line != null; line = events.readLine()) {
                        if (line.startsWith("data: ")) {
                            afterSignal.incrementAndGet();
                            last = line;
                        }
                    }
                } catch (java.io.IOException e) {
                    return "broken: " + e;
                }
                return last;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int ready;
            do {
                ready = service.get("/q/health/ready").statusCode();
            } while (ready != 503 && System.nanoTime() < deadline);
            assertEquals(503, ready, "readiness goes down on SIGTERM");
            HttpResponse<String> refused = service.post("/v1/completions", "{\"prompt\":\"hi\",\"max_tokens\":2}");
            assertEquals(503, refused.statusCode());
            assertTrue(refused.body().contains("\"code\":\"service_unavailable\""), refused.body());

            assertEquals("data: [DONE]", rest.get(60, TimeUnit.SECONDS), "the running stream finishes");
            assertTrue(afterSignal.get() > 100, "tokens kept coming after SIGTERM: " + afterSignal.get());
            assertTrue(service.awaitExit(Duration.ofSeconds(30)), "the service exits once drained");
            assertTrue(service.log().contains("draining"), service.log());
        }
    }
}
