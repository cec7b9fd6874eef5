package dev.gantry.integration;

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

/**
 * The packaged service ({@code quarkus-run.jar}) running as a child process on a free port of 127.0.0.1, with
 * the JVM flags the launcher uses and {@code -D} settings of the test's choosing; its output goes to a log file
 * under {@code target/}.
 */
final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the service with these {@code gantry.*} (or {@code quarkus.*}) settings. */
    static ServiceProcess start(String name, Map<String, String> settings) {
        return start(name, settings, Map.of());
    }

    /** Starts the service with these settings and these extra environment variables. */
    static ServiceProcess start(String name, Map<String, String> settings, Map<String, String> environment) {
        int port = freePort();
        Path log = ProjectFiles.target().resolve(name + "-service.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", ProjectFiles.serviceJar().toString()));
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new ServiceProcess(process, port, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Waits until {@code /q/health/ready} says UP. */
    ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service was not ready after " + timeout + ":\n" + log());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpClient http() {
        return http;
    }

    Process process() {
        return process;
    }

    /** What the service logged so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Sends SIGTERM, as Kubernetes does. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit; true when it did within the timeout. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
