package dev.gantry.integration;

import dev.gantry.kafka.broker.KafkaBrokerProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real single-node broker as a child process on fixed free ports of 127.0.0.1 (the same launcher
 * {@code ./gantry serve} uses), with a plain producer and whole-topic reader, and the settings that point a
 * service at it with its own set of topics.
 */
final class KafkaFixture implements AutoCloseable {

    final KafkaBrokerProcess broker;
    private final KafkaProducer<String, String> producer;

    private KafkaFixture(KafkaBrokerProcess broker) {
        this.broker = broker;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000"),
                new StringSerializer(), new StringSerializer());
    }

    /** Starts a broker with an empty data directory under {@code target/}. */
    static KafkaFixture start(String name) {
        Path dir = ProjectFiles.target().resolve("kafka-" + name);
        deleteRecursively(dir);
        return new KafkaFixture(KafkaBrokerProcess.start(new KafkaBrokerProcess.Settings(freePort(), freePort(), dir,
                System.getProperty("java.class.path"))));
    }

    String servers() {
        return broker.bootstrapServers();
    }

    /**
     * The settings of a service in external mode on this broker, with topics named {@code <prefix>.requests}, ...
     * and its own consumer group, serving stories260K.
     */
    Map<String, String> serviceSettings(String prefix, String instance) {
        Map<String, String> s = new HashMap<>();
        s.put("gantry.kafka.mode", "external");
        s.put("gantry.kafka.bootstrap-servers", servers());
        s.put("gantry.kafka.group-id", prefix);
        s.put("gantry.kafka.session-timeout", "6s");
        s.put("gantry.instance-id", instance);
        for (String topic : List.of("requests", "responses", "preemption", "checkpoints", "dlq", "state")) {
            s.put("gantry.kafka.topics." + topic, prefix + "." + topic);
        }
        s.putAll(ProjectFiles.modelSettings());
        return s;
    }

    void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("producing to " + topic + " failed", e);
        }
    }

    /** Reads {@code topic} from the beginning until {@code done} holds, or the timeout passes. */
    List<ConsumerRecord<String, String>> readUntil(String topic, Predicate<List<ConsumerRecord<String, String>>> done,
                                                   Duration timeout) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (done.test(records)) {
                    break;
                }
            }
        }
        return records;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        broker.close();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
