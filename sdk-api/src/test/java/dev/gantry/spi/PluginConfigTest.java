package dev.gantry.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PluginConfigTest {

    enum Mode { FAST, SLOW_START }

    static final ConfigKey<Integer> QUEUES = ConfigKey.integer("queues", 5, "MLFQ levels").atLeast(1).atMost(16);
    static final ConfigKey<Double> RATIO = ConfigKey.decimal("ratio", 0.5, "a ratio");
    static final ConfigKey<Boolean> SWAP = ConfigKey.bool("swap", false, "swap to host");
    static final ConfigKey<Mode> MODE = ConfigKey.enumeration("mode", Mode.class, Mode.FAST, "mode");
    static final ConfigKey<Duration> GRACE = ConfigKey.duration("grace", Duration.ofSeconds(30), "grace period");
    static final ConfigKey<Long> POOL = ConfigKey.bytes("pool", 1L << 30, "host pool");
    static final ConfigKey<String> HEADS = ConfigKey.string("heads", null, "path of the head weights");

    @Test
    void unsetKeysTakeTheirDefaults() {
        PluginConfig c = PluginConfig.empty("fastserve");
        assertEquals(5, c.get(QUEUES));
        assertEquals(0.5, c.get(RATIO));
        assertEquals(false, c.get(SWAP));
        assertEquals(Mode.FAST, c.get(MODE));
        assertEquals(Duration.ofSeconds(30), c.get(GRACE));
        assertEquals(1L << 30, c.get(POOL));
    }

    @Test
    void valuesAreParsedByType() {
        PluginConfig c = PluginConfig.of("fastserve", Map.of("queues", " 7 ", "ratio", "0.25", "swap", "TRUE",
                "mode", "slow-start", "grace", "500ms", "pool", "512m", "heads", "/models/heads.bin"));
        assertEquals(7, c.get(QUEUES));
        assertEquals(0.25, c.get(RATIO));
        assertEquals(true, c.get(SWAP));
        assertEquals(Mode.SLOW_START, c.get(MODE));
        assertEquals(Duration.ofMillis(500), c.get(GRACE));
        assertEquals(512L << 20, c.get(POOL));
        assertEquals("/models/heads.bin", c.get(HEADS));
        assertEquals(Duration.ofMinutes(2), c.with("grace", "PT2M").get(GRACE));
    }

    @Test
    void failuresNameTheFullKeyTheValueAndWhatWasExpected() {
        PluginConfig c = PluginConfig.of("fastserve", Map.of("queues", "many", "mode", "eager", "pool", "-3g"));
        assertEquals("gantry.plugin.fastserve.queues: 'many' is not an integer",
                assertThrows(PluginConfigException.class, () -> c.get(QUEUES)).getMessage());
        assertEquals("gantry.plugin.fastserve.mode: 'eager' is not one of fast, slow_start",
                assertThrows(PluginConfigException.class, () -> c.get(MODE)).getMessage());
        assertEquals("gantry.plugin.fastserve.pool: '-3g' is not a size in bytes such as 512m or 4g",
                assertThrows(PluginConfigException.class, () -> c.get(POOL)).getMessage());
        PluginConfigException range = assertThrows(PluginConfigException.class,
                () -> c.with("queues", "17").get(QUEUES));
        assertEquals("gantry.plugin.fastserve.queues: 17 must be at most 16", range.getMessage());
        assertEquals("gantry.plugin.fastserve.queues", range.key());
        assertEquals("gantry.plugin.fastserve.heads is required (a string): path of the head weights",
                assertThrows(PluginConfigException.class, () -> c.get(HEADS)).getMessage());
    }

    @Test
    void strayKeysAreRefusedNamingTheKnownOnes() {
        PluginConfig c = PluginConfig.of("fastserve", Map.of("queue", "3"));
        assertEquals("gantry.plugin.fastserve.queue is not a known setting; known: gantry.plugin.fastserve.queues, "
                        + "gantry.plugin.fastserve.swap",
                assertThrows(PluginConfigException.class, () -> c.requireOnly(List.of(SWAP, QUEUES))).getMessage());
        PluginConfig.of("fastserve", Map.of("queues", "3")).requireOnly(List.of(QUEUES));
    }
}
