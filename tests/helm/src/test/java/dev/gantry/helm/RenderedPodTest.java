package dev.gantry.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.helm.GantryChart.Manifests;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code helm install} with the default values starts, short of a cluster: the packaged service, run from a
 * working directory that holds the rendered ConfigMap as {@code config/application.properties}, with the pod's
 * environment and a private {@code /tmp}; it must pass the rendered startup, readiness and liveness probes on the
 * built-in demo model, and exit within the grace period after SIGTERM.
 */
class RenderedPodTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theDefaultPodReachesReadinessOnTheDemoModelAndDrainsWithinItsGracePeriod() throws Exception {
        runPod("default-pod", Map.of(), (base, m) -> {
            JsonNode models = JSON.readTree(get(base.resolve("/v1/models")).body());
            assertEquals("gantry-demo", models.path("data").get(0).path("id").asText());
        });
    }

    @Test
    void pluginChoicesFromTheConfigMapAreTheOnesTheServiceRuns() throws Exception {
        Map<String, String> values = GantryChart.values("plugins.speculator", "ngram", "plugins.kvCodec", "f16",
                "plugins.settings.baseline.ngram\\.max", "3");
        runPod("plugin-pod", values, (base, m) -> {
            JsonNode active = JSON.readTree(get(base.resolve("/v1/plugins")).body()).path("active");
            assertEquals("baseline/fcfs", active.path("scheduler").asText(), active.toString());
            assertEquals("baseline/ngram", active.path("speculator").asText(), active.toString());
            assertEquals("baseline/f16", active.path("kv-codec").asText(), active.toString());
        });
    }

    /** What a test checks while the pod serves. */
    private interface WhileServing {
        void check(URI base, Manifests manifests) throws Exception;
    }

    private void runPod(String name, Map<String, String> values, WhileServing checks) throws Exception {
        Manifests m = GantryChart.render(values);
        JsonNode container = m.container();
        Path serviceJar = ProjectFiles.root().resolve("runtime-quarkus/target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(serviceJar), serviceJar + " is missing: ./mvnw -pl tests/helm -am verify"
                + " builds it");

        // The pod's file system: the working directory with the mounted ConfigMap, and the writable /tmp.
        Path pod = Files.createDirectories(ProjectFiles.target().resolve(name));
        Path workingDir = Files.createDirectories(pod.resolve("deployments"));
        Path tmp = Files.createDirectories(pod.resolve("tmp"));
        Files.createDirectories(workingDir.resolve("config"));
        String properties = m.one("ConfigMap").path("data").path("application.properties").asText();
        Files.writeString(workingDir.resolve("config/application.properties"), properties);

        // The one difference from the pod: a free port on loopback instead of 0.0.0.0:8000 (system properties
        // override the file, as nothing else may).
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-Djava.io.tmpdir=" + tmp,
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-jar", serviceJar.toString()));
        Path log = pod.resolve("service.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("GANTRY_INSTANCE_ID", "gantry-test-7d9c5-x2x4q");
        Process process = builder.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            String startup = container.path("startupProbe").path("httpGet").path("path").asText();
            String readiness = container.path("readinessProbe").path("httpGet").path("path").asText();
            String liveness = container.path("livenessProbe").path("httpGet").path("path").asText();
            awaitStatus(process, log, base.resolve(startup), Duration.ofSeconds(120));
            awaitStatus(process, log, base.resolve(readiness), Duration.ofSeconds(120));
            assertEquals(200, get(base.resolve(liveness)).statusCode());

            checks.check(base, m);

            // SIGTERM, as the kubelet sends it after the preStop hook: the service exits within the grace period.
            long grace = m.podSpec().path("terminationGracePeriodSeconds").asLong();
            process.destroy();
            assertTrue(process.waitFor(grace, TimeUnit.SECONDS), "the service did not exit within " + grace
                    + " s of SIGTERM:\n" + Files.readString(log));
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private void awaitStatus(Process process, Path log, URI uri, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            try {
                if (get(uri).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new AssertionError(uri + " did not answer 200 within " + timeout + ":\n"
                + Files.readString(log, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
