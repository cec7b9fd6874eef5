package dev.gantry.kafka.broker;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The cluster ids the broker formats its storage with: what Kafka's storage tool accepts on its command line. */
class ClusterIdTest {

    @Test
    void idsAreSixteenBytesAndNeverLookLikeAnOption() {
        // One base64 id in 64 starts with '-'; 10,000 draws would all avoid it by chance with probability ~1e-68.
        for (int i = 0; i < 10_000; i++) {
            String id = KafkaBrokerProcess.clusterId();
            assertFalse(id.startsWith("-"), id);
            assertEquals(16, Base64.getUrlDecoder().decode(id).length, id);
        }
    }
}
