package dev.gantry.tck.internal;

import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.spi.ExtensionFactory;
import dev.gantry.spi.GantryPlugin;
import dev.gantry.spi.attention.AttentionBackendFactory;
import dev.gantry.spi.kv.KVCodecFactory;
import dev.gantry.spi.planner.ParallelPlannerFactory;
import dev.gantry.spi.scheduler.SchedulerFactory;
import dev.gantry.spi.speculator.SpeculatorFactory;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The plugin under test as the kit installs it: the same name, version and factories, except that the factory
 * being tested is wrapped (so that what it creates can be recorded). Settings keep their namespace.
 */
public final class InstrumentedPlugin<T extends ExtensionFactory> implements GantryPlugin {

    private final GantryPlugin plugin;
    private final ExtensionPoint<T> point;
    private final String name;
    private final UnaryOperator<T> instrument;

    /**
     * @param plugin     the plugin under test
     * @param point      the extension point tested
     * @param name       the implementation tested
     * @param instrument wraps its factory
     */
    public InstrumentedPlugin(GantryPlugin plugin, ExtensionPoint<T> point, String name, UnaryOperator<T> instrument) {
        this.plugin = plugin;
        this.point = point;
        this.name = name;
        this.instrument = instrument;
    }

    @Override
    public String name() {
        return plugin.name();
    }

    @Override
    public String version() {
        return plugin.version();
    }

    @SuppressWarnings("unchecked")
    private <F extends ExtensionFactory> List<F> factories(ExtensionPoint<F> of, List<F> factories) {
        if (of != point) {
            return factories;
        }
        return factories.stream().map(f -> f.name().equals(name) ? (F) instrument.apply((T) f) : f).toList();
    }

    @Override
    public List<SchedulerFactory> schedulers() {
        return factories(ExtensionPoint.SCHEDULER, plugin.schedulers());
    }

    @Override
    public List<SpeculatorFactory> speculators() {
        return factories(ExtensionPoint.SPECULATOR, plugin.speculators());
    }

    @Override
    public List<AttentionBackendFactory> attentionBackends() {
        return factories(ExtensionPoint.ATTENTION, plugin.attentionBackends());
    }

    @Override
    public List<KVCodecFactory> kvCodecs() {
        return factories(ExtensionPoint.KV_CODEC, plugin.kvCodecs());
    }

    @Override
    public List<ParallelPlannerFactory> parallelPlanners() {
        return factories(ExtensionPoint.PLANNER, plugin.parallelPlanners());
    }
}
