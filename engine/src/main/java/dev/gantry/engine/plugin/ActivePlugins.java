package dev.gantry.engine.plugin;

import dev.gantry.spi.ConfigKey;
import dev.gantry.spi.GantryPlugin;
import dev.gantry.spi.ModelInfo;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.attention.AttentionBackend;
import dev.gantry.spi.attention.AttentionBackendContext;
import dev.gantry.spi.attention.AttentionBackendFactory;
import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KVCodecContext;
import dev.gantry.spi.kv.KVCodecFactory;
import dev.gantry.spi.planner.ParallelPlannerFactory;
import dev.gantry.spi.scheduler.Scheduler;
import dev.gantry.spi.scheduler.SchedulerContext;
import dev.gantry.spi.scheduler.SchedulerFactory;
import dev.gantry.spi.scheduler.StepLimits;
import dev.gantry.spi.speculator.Speculator;
import dev.gantry.spi.speculator.SpeculatorContext;
import dev.gantry.spi.speculator.SpeculatorFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The plugin instances one engine runs with, built from a {@link PluginSelection}: each extension point's
 * implementation is looked up by name in the {@link PluginRegistry} and created with its plugin's settings.
 *
 * <p>All checks happen here, before anything runs: unknown implementation names (with the installed ones
 * listed), settings for plugins that are not installed, setting keys no factory of the plugin declares, and
 * malformed values — each message names the configuration key.
 *
 * @param scheduler  the active scheduler
 * @param speculator the active speculator
 * @param attention  the active attention backend
 * @param kvCodec    the active KV codec
 * @param planner    the factory of the active parallel planner (planners run on demand, not per step)
 * @param names      "plugin/implementation" per extension point, for logs and listings
 */
public record ActivePlugins(Scheduler scheduler, Speculator speculator, AttentionBackend attention, KVCodec kvCodec,
                            PluginRegistry.Registered<ParallelPlannerFactory> planner, List<String> names) {

    /**
     * Creates the selected plugins for a model.
     *
     * @param modelPath  the model file, when there is one (speculators find head weights beside it)
     * @param limits     the step limits
     * @param blockSize  tokens per KV block
     * @param threads    compute threads
     * @param instanceId this instance's id
     * @param maxTreeSize the most draft-tree nodes the engine verifies per sequence and step
     */
    public static ActivePlugins create(PluginRegistry registry, PluginSelection selection, ModelInfo model,
                                       Optional<Path> modelPath, StepLimits limits, int blockSize, int threads,
                                       String instanceId, int maxTreeSize) {
        checkSettings(registry, selection);
        var s = registry.require(ExtensionPoint.SCHEDULER, selection.nameFor(ExtensionPoint.SCHEDULER));
        var sp = registry.require(ExtensionPoint.SPECULATOR, selection.nameFor(ExtensionPoint.SPECULATOR));
        var a = registry.require(ExtensionPoint.ATTENTION, selection.nameFor(ExtensionPoint.ATTENTION));
        var k = registry.require(ExtensionPoint.KV_CODEC, selection.nameFor(ExtensionPoint.KV_CODEC));
        var p = registry.require(ExtensionPoint.PLANNER, selection.nameFor(ExtensionPoint.PLANNER));

        Scheduler scheduler = s.factory().create(config(selection, s), new SchedulerContext() {
            public List<ModelInfo> models() {
                return List.of(model);
            }

            public StepLimits limits() {
                return limits;
            }

            public int blockSize() {
                return blockSize;
            }

            public String instanceId() {
                return instanceId;
            }
        });
        Speculator speculator = sp.factory().create(config(selection, sp), new SpeculatorContext() {
            public ModelInfo model() {
                return model;
            }

            public Optional<Path> modelPath() {
                return modelPath;
            }

            public int maxTreeSize() {
                return maxTreeSize;
            }
        });
        AttentionBackend attention = a.factory().create(config(selection, a), new AttentionBackendContext() {
            public ModelInfo model() {
                return model;
            }

            public int blockSize() {
                return blockSize;
            }

            public int threads() {
                return threads;
            }
        });
        KVCodec codec = k.factory().create(config(selection, k), new KVCodecContext() {
            public ModelInfo model() {
                return model;
            }

            public int blockSize() {
                return blockSize;
            }
        });
        List<String> names = List.of(label(s), label(sp), label(a), label(k), label(p));
        return new ActivePlugins(scheduler, speculator, attention, codec, p, names);
    }

    private static String label(PluginRegistry.Registered<?> r) {
        return r.plugin().name() + "/" + r.factory().name();
    }

    private static PluginConfig config(PluginSelection selection, PluginRegistry.Registered<?> r) {
        return selection.configFor(r.plugin().name());
    }

    /** Settings must belong to an installed plugin and to a key one of its factories declares. */
    private static void checkSettings(PluginRegistry registry, PluginSelection selection) {
        for (String plugin : selection.settings().keySet()) {
            GantryPlugin p = registry.plugins().get(plugin);
            if (p == null) {
                throw new UnknownPluginException("gantry.plugin." + plugin + ".*: no installed plugin is named '"
                        + plugin + "'; installed: " + String.join(", ", registry.plugins().keySet()));
            }
            List<ConfigKey<?>> keys = registry.configKeysOf(p);
            PluginConfig config = selection.configFor(plugin);
            config.requireOnly(keys);
            for (ConfigKey<?> key : keys) {
                config.get(key);
            }
        }
    }
}
