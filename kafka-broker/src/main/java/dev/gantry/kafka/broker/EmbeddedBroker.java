package dev.gantry.kafka.broker;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded broker's command line, as {@code ./gantry serve} runs it beside the service when no bootstrap
 * servers are given: {@code EmbeddedBroker --port 9092 --dir DIR}. It starts the broker as a child JVM with this
 * JVM's class path, prints one line saying where it listens once it accepts connections, and stops it when this
 * process ends (SIGTERM or SIGINT) or when the broker exits by itself.
 */
public final class EmbeddedBroker {

    private EmbeddedBroker() {
    }

    /**
     * Runs the broker until this process is stopped.
     *
     * @param args {@code --port P} (default 9092), {@code --controller-port P} (default port + 1), {@code --dir D}
     *             (default {@code .gantry/kafka})
     */
    public static void main(String[] args) throws InterruptedException {
        int port = 9092;
        Integer controllerPort = null;
        Path dir = Path.of(".gantry", "kafka");
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(require(args[i], value));
                case "--controller-port" -> controllerPort = Integer.parseInt(require(args[i], value));
                case "--dir" -> dir = Path.of(require(args[i], value));
                default -> {
                    System.err.println("usage: EmbeddedBroker [--port P] [--controller-port P] [--dir DIR]");
                    System.exit(2);
                }
            }
            i++;
        }
        KafkaBrokerProcess broker;
        try {
            broker = KafkaBrokerProcess.start(new KafkaBrokerProcess.Settings(port,
                    controllerPort == null ? port + 1 : controllerPort, dir, System.getProperty("java.class.path")));
        } catch (RuntimeException e) {
            System.err.println("gantry: the embedded Kafka broker did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }, "embedded-broker-stop"));
        System.err.println("gantry: embedded Kafka broker (KRaft, single node) listening on "
                + broker.bootstrapServers() + "; data in " + dir.toAbsolutePath() + ", log in " + broker.log());
        while (broker.isAlive() && stopped.getCount() > 0) {
            Thread.sleep(500);
        }
        if (stopped.getCount() > 0) {
            System.err.println("gantry: the embedded Kafka broker exited; see " + broker.log());
            System.exit(1);
        }
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
