package dev.gantry.integration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service on a real broker running as a child process on fixed ports: the {@code kcat} client
 * round trip; two replicas sharing requests while one is preempted mid-generation; the broker stopped and
 * restarted under a running service. Each test has its own topics and consumer group on the one broker; the
 * restart test runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaEndToEndTest {

    /** Few KV blocks (a handful of 200-token sequences at a time) and one thread: generation takes a while. */
    static final Map<String, String> SLOW = Map.of("gantry.kv.budget", "1M", "gantry.threads", "1");

    static KafkaFixture kafka;

    @BeforeAll
    static void startBroker() {
        ProjectFiles.requireOracle();
        kafka = KafkaFixture.start("e2e");
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    static String request(String id, String prompt, int maxTokens) {
        return "{\"id\":\"" + id + "\",\"prompt\":\"" + prompt + "\",\"temperature\":0,\"max_tokens\":" + maxTokens
                + "}";
    }

    static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new HashMap<>(a);
        all.putAll(b);
        return all;
    }

    @Test
    @Order(1)
    void kcatProducesARequestAndReadsTheAnswer() throws Exception {
        kcat();
        int port = Integer.parseInt(kafka.servers().substring(kafka.servers().lastIndexOf(':') + 1));
        Map<String, String> settings = new HashMap<>(Map.of("gantry.kafka.mode", "embedded",
                "gantry.kafka.embedded.port", String.valueOf(port), "gantry.instance-id", "kcat-replica"));
        settings.putAll(ProjectFiles.modelSettings());
        try (ServiceProcess service = ServiceProcess.start("kafka-kcat", settings).awaitReady(Duration.ofSeconds(120))) {
            // The client example examples/clients/kcat.sh, as a user runs it: produce, then read until the final message.
            ProcessBuilder example = new ProcessBuilder("bash",
                    ProjectFiles.root().resolve("examples/clients/kcat.sh").toString()).redirectErrorStream(true);
            example.environment().putAll(Map.of("GANTRY_KAFKA", kafka.servers(), "REQUEST_ID", "kcat-1"));
            Process p = example.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "kcat.sh did not finish");
            assertEquals(0, p.exitValue(), "kcat.sh failed:\n" + out + "\n" + service.log());
            List<Integer> tokens = new ArrayList<>();
            int messages = 0;
            for (String line : out.split("\n")) {
                if (line.startsWith("kcat-1\t")) {
                    var m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line.substring(7));
                    assertEquals(messages++, m.get("index").asInt(), out);
                    if (m.has("token_ids")) {
                        m.get("token_ids").forEach(t -> tokens.add(t.asInt()));
                    }
                }
            }
            assertTrue(out.contains("\"finish_reason\":\"length\""), out + "\n" + service.log());
            assertEquals(OracleCases.greedy("Once upon a time").subList(0, 16), tokens);
            System.out.printf("kcat smoke test (examples/clients/kcat.sh): 1 request produced with kcat, %d messages"
                    + " read with kcat, 16 oracle tokens%n", messages);
        }
    }

    @Test
    @Order(2)
    void twoReplicasShareRequestsAndAPreemptedReplicaHandsItsWorkOver() throws Exception {
        int n = 30;
        int maxTokens = 200;
        List<Integer> expected = OracleCases.greedy("");
        ServiceProcess a = ServiceProcess.start("kafka-replica-a", with(kafka.serviceSettings("spot", "replica-a"), SLOW));
        ServiceProcess b = ServiceProcess.start("kafka-replica-b", with(kafka.serviceSettings("spot", "replica-b"), SLOW));
        try (a; b) {
            a.awaitReady(Duration.ofSeconds(120));
            b.awaitReady(Duration.ofSeconds(120));
            for (int i = 0; i < n; i++) {
                kafka.send("spot.requests", "spot-" + i, request("spot-" + i, "", maxTokens));
            }
            // Mid-generation: as soon as replica-a has streamed a chunk.
            kafka.readUntil("spot.responses", rs -> rs.stream().anyMatch(r -> "replica-a".equals(instance(r))),
                    Duration.ofSeconds(60));
            kafka.send("spot.preemption", "replica-a", "{\"instance\":\"replica-a\",\"kind\":\"notice\","
                    + "\"grace_seconds\":1,\"at\":\"2026-11-23T17:00:00Z\"}");
            List<ConsumerRecord<String, String>> checkpoints = kafka.readUntil("spot.checkpoints", rs -> !rs.isEmpty(),
                    Duration.ofSeconds(30));
            assertTrue(!checkpoints.isEmpty(), "replica-a wrote no checkpoint:\n" + a.log());
            // The grace period is over: the spot instance goes away (its unstarted requests go to replica-b).
            Thread.sleep(1000);
            a.terminate();
            assertTrue(a.awaitExit(Duration.ofSeconds(60)), "replica-a did not stop");
            List<ConsumerRecord<String, String>> records = kafka.readUntil("spot.responses",
                    rs -> new ResponseLog(rs).finished() == n, Duration.ofSeconds(180));
            Thread.sleep(2000);
            records = kafka.readUntil("spot.responses", rs -> false, Duration.ofSeconds(2));
            checkpoints = kafka.readUntil("spot.checkpoints", rs -> false, Duration.ofSeconds(1));
            ResponseLog log = new ResponseLog(records);
            assertEquals(n, log.ids().size(), b.log());
            int moved = 0;
            int byA = 0;
            for (int i = 0; i < n; i++) {
                ResponseLog.Answer answer = log.answer("spot-" + i); // contiguous indices, each once, one final
                assertEquals(expected.subList(0, answer.tokens().size()), answer.tokens(), "spot-" + i);
                assertEquals(maxTokens, answer.tokens().size(), "spot-" + i);
                moved += answer.instances().size() == 2 ? 1 : 0;
                byA += answer.instances().equals(java.util.Set.of("replica-a")) ? 1 : 0;
            }
            assertTrue(moved >= 1, "no request was continued by replica-b after replica-a's chunks");
            String metrics = b.get("/q/metrics").body();
            assertTrue(metrics.contains("gantry:checkpoint_resumes_total"), metrics);
            System.out.printf("two-replica preemption test: %d requests, %d checkpoints written, %d streams continued"
                    + " across replicas, %d answered by replica-a alone, %d by replica-b alone, 0 repeated or missing"
                    + " chunk indices, 0 duplicates, 0 lost; greedy tokens equal the oracle's 200%n", n,
                    checkpoints.size(), moved, byA, n - moved - byA);
        }
    }

    @Test
    @Order(3)
    void theBrokerStoppedAndRestartedDuringARunLosesAndRepeatsNothing() throws Exception {
        int n = 24;
        int maxTokens = 64;
        List<Integer> expected = OracleCases.greedy("Once upon a time");
        try (ServiceProcess service = ServiceProcess.start("kafka-restart",
                with(kafka.serviceSettings("restart", "restart-replica"), SLOW)).awaitReady(Duration.ofSeconds(120))) {
            for (int i = 0; i < n; i++) {
                kafka.send("restart.requests", "restart-" + i, request("restart-" + i, "Once upon a time", maxTokens));
            }
            long finishedBefore = new ResponseLog(kafka.readUntil("restart.responses", rs -> !rs.isEmpty(),
                    Duration.ofSeconds(60))).finished();
            kafka.broker.stop();
            Thread.sleep(3000);
            kafka.broker.restart();
            List<ConsumerRecord<String, String>> records = kafka.readUntil("restart.responses",
                    rs -> new ResponseLog(rs).finished() == n, Duration.ofSeconds(180));
            Thread.sleep(2000);
            records = kafka.readUntil("restart.responses", rs -> false, Duration.ofSeconds(2));
            ResponseLog log = new ResponseLog(records);
            assertEquals(n, log.ids().size(), service.log());
            for (int i = 0; i < n; i++) {
                ResponseLog.Answer answer = log.answer("restart-" + i);
                assertEquals(expected.subList(0, maxTokens), answer.tokens(), "restart-" + i);
            }
            assertTrue(finishedBefore < n, "every request had finished before the broker stopped");
            System.out.printf("broker restart test: %d requests (%d finished when the broker stopped), %d response"
                    + " messages, %d finals, 0 lost, 0 duplicated%n", n, finishedBefore, records.size(), log.finished());
        }
    }

    static String instance(ConsumerRecord<String, String> r) {
        var h = r.headers().lastHeader("gantry-instance");
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The kcat client: on the path, or installed from the Debian package; the test is skipped without it. */
    static String kcat() throws InterruptedException {
        if (works(List.of("kcat", "-V"))) {
            return "kcat";
        }
        boolean installed = works(List.of("apt-get", "install", "-y", "kcat"))
                || (works(List.of("apt-get", "update")) && works(List.of("apt-get", "install", "-y", "kcat")));
        Assumptions.assumeTrue(installed && works(List.of("kcat", "-V")),
                "skipped: kcat is not installed and 'apt-get install -y kcat' did not install it");
        return "kcat";
    }

    private static boolean works(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
