package dev.gantry.runtime.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.util.Map;

/**
 * A real single-node KRaft broker in the test JVM on a random port (Kafka's own test kit), for the service to use
 * in {@code external} mode. Short group timings, so that the first assignment does not wait.
 */
public class KafkaTestKitResource implements QuarkusTestResourceLifecycleManager {

    private static volatile String bootstrapServers;
    private KafkaClusterTestKit cluster;

    /** Where the running broker listens. */
    public static String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public Map<String, String> start() {
        try {
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                    .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("the test broker did not start", e);
        }
        bootstrapServers = cluster.bootstrapServers();
        return Map.of("gantry.kafka.mode", "external", "gantry.kafka.bootstrap-servers", bootstrapServers);
    }

    @Override
    public void stop() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                // The JVM ends with the tests.
            }
        }
    }
}
