package dev.gantry.kafka.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one process) running as a child JVM on 127.0.0.1,
 * with the broker's jars on its class path. Its data directory survives {@link #stop()}, so a broker started
 * again on the same directory and ports keeps its topics, offsets and committed consumer positions: what a
 * test needs to stop and restart the broker under a running service.
 *
 * <p>The parent never loads a Kafka class; it writes {@code server.properties}, formats the storage once
 * ({@code kafka.tools.StorageTool format}) and runs {@code kafka.Kafka}.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    /** How long start-up may take before it is reported as failed. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Settings settings;
    private Process process;

    /**
     * Where and how the broker runs.
     *
     * @param port           the client port on 127.0.0.1
     * @param controllerPort the KRaft controller's port on 127.0.0.1
     * @param dataDir        the log directory, config and {@code broker.log}; created when missing
     * @param classPath      the broker's class path (the {@code kafka_2.13} jars and a log4j binding)
     */
    public record Settings(int port, int controllerPort, Path dataDir, String classPath) {
    }

    private KafkaBrokerProcess(Settings settings) {
        this.settings = settings;
    }

    /** Starts a broker and waits until it accepts connections. */
    public static KafkaBrokerProcess start(Settings settings) {
        KafkaBrokerProcess broker = new KafkaBrokerProcess(settings);
        broker.restart();
        return broker;
    }

    /** The bootstrap servers clients use: {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + settings.port();
    }

    /** Its settings. */
    public Settings settings() {
        return settings;
    }

    /** Where the broker's output goes. */
    public Path log() {
        return settings.dataDir().resolve("broker.log");
    }

    /** Whether the child process runs. */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the broker on the same directory and ports (after {@link #stop()}, or the first time), formatting the
     * storage only if it never was; returns once the broker accepts connections.
     *
     * @throws IllegalStateException when the broker exits or does not listen within {@link #START_TIMEOUT}
     */
    public synchronized void restart() {
        if (isAlive()) {
            throw new IllegalStateException("the broker is already running");
        }
        try {
            Path dir = settings.dataDir().toAbsolutePath();
            Path logs = dir.resolve("logs");
            Files.createDirectories(logs);
            Path config = dir.resolve("server.properties");
            Files.writeString(config, ServerProperties.render(settings.port(), settings.controllerPort(), logs));
            Path log4j = dir.resolve("log4j2.properties");
            Files.writeString(log4j, LOG4J);
            if (!Files.exists(logs.resolve("meta.properties"))) {
                format(config);
            }
            List<String> command = java();
            command.addAll(List.of("-Xms128m", "-Xmx512m", "-Dlog4j2.configurationFile=" + log4j.toUri(),
                    "-cp", settings.classPath(), "kafka.Kafka", config.toString()));
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
            awaitListening();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while the broker started", e);
        }
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 30 s); its data stays. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void format(Path config) throws IOException, InterruptedException {
        List<String> command = java();
        command.addAll(List.of("-cp", settings.classPath(), "kafka.tools.StorageTool", "format", "-t", clusterId(),
                "-c", config.toString()));
        Process format = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        if (!format.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("formatting the broker's storage failed; see " + log() + ":\n" + tail());
        }
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited with " + process.exitValue() + "; see " + log()
                        + ":\n" + tail());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", settings.port()), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        stop();
        throw new IllegalStateException("the broker did not listen on " + bootstrapServers() + " within "
                + START_TIMEOUT.toSeconds() + " s; see " + log());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> java() {
        return new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    }

    /**
     * A cluster id as Kafka writes them: 16 random bytes, URL-safe base64 without padding, and (as Kafka's own
     * {@code Uuid.randomUuid} insists) not starting with '-', which the storage tool's command line would read as an
     * option: one start in 64 failed with "argument --cluster-id/-t: expected one argument".
     */
    static String clusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }

    // The broker's own log: INFO to its output (broker.log), without the per-request noise.
    private static final String LOG4J = """
            status = warn
            appender.out.type = Console
            appender.out.name = out
            appender.out.layout.type = PatternLayout
            appender.out.layout.pattern = %d{HH:mm:ss} %-5p [%c{1}] %m%n
            rootLogger.level = info
            rootLogger.appenderRef.out.ref = out
            logger.state.name = state.change.logger
            logger.state.level = warn
            logger.request.name = kafka.request.logger
            logger.request.level = warn
            """;
}
