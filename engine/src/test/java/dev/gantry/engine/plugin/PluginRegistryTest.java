package dev.gantry.engine.plugin;

import dev.gantry.spi.ConfigKey;
import dev.gantry.spi.GantryPlugin;
import dev.gantry.spi.ModelInfo;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.PluginConfigException;
import dev.gantry.spi.attention.AttentionBackend;
import dev.gantry.spi.attention.AttentionBackendContext;
import dev.gantry.spi.attention.AttentionBackendFactory;
import dev.gantry.spi.scheduler.StepLimits;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plugins are found through ServiceLoader; bad names and settings fail at start-up with clear messages. */
class PluginRegistryTest {

    static final ModelInfo MODEL = new ModelInfo("m", "llama", 2, 64, 4, 2, 16, 96, 320, 256, 1000);

    /** A third-party plugin as a test defines it: one attention backend with one setting. */
    public static final class SparsePlugin implements GantryPlugin {
        static final ConfigKey<Integer> TOP_K = ConfigKey.integer("top-k", 8, "keys kept per query").atLeast(1);

        @Override
        public String name() {
            return "sparse";
        }

        @Override
        public List<AttentionBackendFactory> attentionBackends() {
            return List.of(new AttentionBackendFactory() {
                public String name() {
                    return "topk";
                }

                public List<ConfigKey<?>> configKeys() {
                    return List.of(TOP_K);
                }

                public AttentionBackend create(PluginConfig config, AttentionBackendContext context) {
                    config.get(TOP_K);
                    return null;
                }
            });
        }
    }

    /** A plugin that tries to take over the baseline's attention name. */
    public static final class ImpostorPlugin implements GantryPlugin {
        @Override
        public String name() {
            return "impostor";
        }

        @Override
        public List<AttentionBackendFactory> attentionBackends() {
            return List.of(new AttentionBackendFactory() {
                public String name() {
                    return "dense";
                }

                public AttentionBackend create(PluginConfig config, AttentionBackendContext context) {
                    return null;
                }
            });
        }
    }

    /** Provides nothing at all. */
    public static final class EmptyPlugin implements GantryPlugin {
        @Override
        public String name() {
            return "empty";
        }
    }

    static GantryPlugin baseline() {
        return PluginRegistry.discover().plugins().get("baseline");
    }

    @Test
    void theBaselineIsFoundThroughServiceLoaderForAllFivePoints() {
        PluginRegistry registry = PluginRegistry.discover();
        assertTrue(registry.plugins().containsKey("baseline"), "baseline plugin discovered");
        assertEquals(List.of("fcfs"), registry.names(ExtensionPoint.SCHEDULER));
        assertEquals(List.of("ngram", "none"), registry.names(ExtensionPoint.SPECULATOR));
        assertEquals(List.of("dense"), registry.names(ExtensionPoint.ATTENTION));
        assertEquals(List.of("f16", "f32"), registry.names(ExtensionPoint.KV_CODEC));
        assertEquals(List.of("single-instance"), registry.names(ExtensionPoint.PLANNER));
        for (ExtensionPoint<?> p : ExtensionPoint.ALL) {
            assertTrue(registry.names(p).contains(p.defaultName()), p + " default is installed");
        }
    }

    @Test
    void anUnknownNameFailsListingTheInstalledOnes() {
        PluginRegistry registry = PluginRegistry.of(List.of(baseline(), new SparsePlugin()));
        UnknownPluginException e = assertThrows(UnknownPluginException.class, () -> create(registry,
                PluginSelection.defaults().with(ExtensionPoint.ATTENTION, "magicpig")));
        assertEquals("gantry.attention=magicpig: no installed plugin provides a attention backend named 'magicpig';"
                + " installed: dense, topk", e.getMessage());
    }

    @Test
    void twoPluginsClaimingOneNameStopStartUpNamingBothClasses() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PluginRegistry.of(List.of(baseline(), new ImpostorPlugin())));
        assertTrue(e.getMessage().contains("reserved by the baseline plugin"), e.getMessage());
        assertTrue(e.getMessage().contains("DenseAttentionFactory") && e.getMessage().contains("impostor"),
                e.getMessage());
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> PluginRegistry.of(List.of(new SparsePlugin(), new SparsePlugin())));
        assertTrue(twice.getMessage().startsWith("two plugins are named 'sparse'"), twice.getMessage());
    }

    @Test
    void aPluginProvidingNothingIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PluginRegistry.of(List.of(new EmptyPlugin())));
        assertTrue(e.getMessage().contains("'empty'") && e.getMessage().contains("provides no factory"),
                e.getMessage());
    }

    @Test
    void settingsAreCheckedAgainstTheDeclaredKeys() {
        PluginRegistry registry = PluginRegistry.of(List.of(baseline(), new SparsePlugin()));
        PluginConfigException misspelt = assertThrows(PluginConfigException.class, () -> create(registry,
                PluginSelection.fromProperties(Map.of("gantry.plugin.sparse.topk", "4"))));
        assertEquals("gantry.plugin.sparse.topk is not a known setting; known: gantry.plugin.sparse.top-k",
                misspelt.getMessage());
        PluginConfigException bad = assertThrows(PluginConfigException.class, () -> create(registry,
                PluginSelection.fromProperties(Map.of("gantry.plugin.sparse.top-k", "0"))));
        assertEquals("gantry.plugin.sparse.top-k: 0 must be at least 1", bad.getMessage());
        PluginConfigException notANumber = assertThrows(PluginConfigException.class, () -> create(registry,
                PluginSelection.fromProperties(Map.of("gantry.plugin.baseline.fcfs.preemption-mode", "later"))));
        assertEquals("gantry.plugin.baseline.fcfs.preemption-mode: 'later' is not one of swap, recompute",
                notANumber.getMessage());
        UnknownPluginException noSuchPlugin = assertThrows(UnknownPluginException.class, () -> create(registry,
                PluginSelection.fromProperties(Map.of("gantry.plugin.fastserve.queues", "4"))));
        assertTrue(noSuchPlugin.getMessage().startsWith("gantry.plugin.fastserve.*: no installed plugin is named"
                + " 'fastserve'; installed: baseline, sparse"), noSuchPlugin.getMessage());
    }

    @Test
    void theSelectedImplementationsAreCreatedWithTheirSettings() {
        ActivePlugins active = create(PluginRegistry.discover(), PluginSelection.fromProperties(Map.of(
                "gantry.kv-codec", "f16", "gantry.plugin.baseline.fcfs.preemption-mode", "swap")));
        assertEquals("f16", active.kvCodec().name());
        assertEquals("dense", active.attention().name());
        assertEquals("fcfs", active.scheduler().name());
        assertEquals("[SWAP]", active.scheduler().preemptionModes().toString());
        assertEquals("none", active.speculator().name());
        assertEquals("single-instance", active.planner().factory().name());
    }

    static ActivePlugins create(PluginRegistry registry, PluginSelection selection) {
        return ActivePlugins.create(registry, selection, MODEL, Optional.empty(), new StepLimits(64, 8), 16, 1, "t", 16);
    }
}
