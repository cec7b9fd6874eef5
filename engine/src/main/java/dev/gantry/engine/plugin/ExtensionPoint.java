package dev.gantry.engine.plugin;

import dev.gantry.spi.ExtensionFactory;
import dev.gantry.spi.GantryPlugin;
import dev.gantry.spi.attention.AttentionBackendFactory;
import dev.gantry.spi.kv.KVCodecFactory;
import dev.gantry.spi.planner.ParallelPlannerFactory;
import dev.gantry.spi.scheduler.SchedulerFactory;
import dev.gantry.spi.speculator.SpeculatorFactory;

import java.util.List;
import java.util.function.Function;

/**
 * The five extension points, each with the configuration key that selects it, its default and how to ask a
 * plugin for its factories.
 *
 * @param <F> the factory type
 */
public final class ExtensionPoint<F extends ExtensionFactory> {

    public static final ExtensionPoint<SchedulerFactory> SCHEDULER =
            new ExtensionPoint<>("scheduler", "gantry.scheduler", "fcfs", GantryPlugin::schedulers);
    public static final ExtensionPoint<SpeculatorFactory> SPECULATOR =
            new ExtensionPoint<>("speculator", "gantry.speculator", "none", GantryPlugin::speculators);
    public static final ExtensionPoint<AttentionBackendFactory> ATTENTION =
            new ExtensionPoint<>("attention backend", "gantry.attention", "dense", GantryPlugin::attentionBackends);
    public static final ExtensionPoint<KVCodecFactory> KV_CODEC =
            new ExtensionPoint<>("KV codec", "gantry.kv-codec", "f32", GantryPlugin::kvCodecs);
    public static final ExtensionPoint<ParallelPlannerFactory> PLANNER =
            new ExtensionPoint<>("parallel planner", "gantry.planner", "single-instance", GantryPlugin::parallelPlanners);

    /** All five, in a fixed order. */
    public static final List<ExtensionPoint<?>> ALL = List.of(SCHEDULER, SPECULATOR, ATTENTION, KV_CODEC, PLANNER);

    private final String displayName;
    private final String configKey;
    private final String defaultName;
    private final Function<GantryPlugin, List<F>> factories;

    private ExtensionPoint(String displayName, String configKey, String defaultName,
                           Function<GantryPlugin, List<F>> factories) {
        this.displayName = displayName;
        this.configKey = configKey;
        this.defaultName = defaultName;
        this.factories = factories;
    }

    /** Human name ("attention backend"). */
    public String displayName() {
        return displayName;
    }

    /** The key that selects the implementation ({@code gantry.attention}). */
    public String configKey() {
        return configKey;
    }

    /** The implementation used when the key is not set (the baseline's). */
    public String defaultName() {
        return defaultName;
    }

    /** The factories a plugin provides for this point; never null. */
    public List<F> factoriesOf(GantryPlugin plugin) {
        List<F> list = factories.apply(plugin);
        return list == null ? List.of() : list;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
