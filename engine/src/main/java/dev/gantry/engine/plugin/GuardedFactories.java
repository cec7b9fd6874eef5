package dev.gantry.engine.plugin;

import dev.gantry.spi.ConfigKey;
import dev.gantry.spi.ExtensionFactory;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.PluginConfigException;
import dev.gantry.spi.attention.AttentionBackend;
import dev.gantry.spi.attention.AttentionBackendContext;
import dev.gantry.spi.attention.AttentionBackendFactory;
import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KVCodecContext;
import dev.gantry.spi.kv.KVCodecFactory;
import dev.gantry.spi.planner.ParallelPlanner;
import dev.gantry.spi.planner.ParallelPlannerFactory;
import dev.gantry.spi.planner.PlannerContext;
import dev.gantry.spi.scheduler.Scheduler;
import dev.gantry.spi.scheduler.SchedulerContext;
import dev.gantry.spi.scheduler.SchedulerFactory;
import dev.gantry.spi.speculator.Speculator;
import dev.gantry.spi.speculator.SpeculatorContext;
import dev.gantry.spi.speculator.SpeculatorFactory;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Wraps every registered factory so that a {@code create} that throws (or returns null) stops start-up with a
 * message naming the implementation, its plugin and the plugin's source, instead of a bare stack trace from
 * inside the plugin. {@link PluginConfigException}s pass unchanged: they already name the setting at fault.
 */
final class GuardedFactories {

    private GuardedFactories() {
    }

    @SuppressWarnings("unchecked")
    static <F extends ExtensionFactory> F guard(ExtensionPoint<F> point, F factory, InstalledPlugin owner) {
        String label = point + " '" + factory.name() + "' of plugin '" + owner.name() + "' (" + owner.source() + ")";
        Object guarded;
        if (point == ExtensionPoint.SCHEDULER) {
            guarded = new Scheduling((SchedulerFactory) factory, label);
        } else if (point == ExtensionPoint.SPECULATOR) {
            guarded = new Speculating((SpeculatorFactory) factory, label);
        } else if (point == ExtensionPoint.ATTENTION) {
            guarded = new Attending((AttentionBackendFactory) factory, label);
        } else if (point == ExtensionPoint.KV_CODEC) {
            guarded = new Coding((KVCodecFactory) factory, label);
        } else {
            guarded = new Planning((ParallelPlannerFactory) factory, label);
        }
        return (F) guarded;
    }

    /** The plugin's own factory behind a guard. */
    static ExtensionFactory original(ExtensionFactory factory) {
        return factory instanceof Guarded<?> g ? g.factory : factory;
    }

    private static <T> T create(String label, Supplier<T> creation) {
        T made;
        try {
            made = creation.get();
        } catch (PluginConfigException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new PluginLoadException(label + " failed to start: " + e, e);
        }
        return Objects.requireNonNull(made, () -> label + " returned null from create()");
    }

    /** What the five wrappers share: they answer for the wrapped factory. */
    private abstract static class Guarded<F extends ExtensionFactory> implements ExtensionFactory {
        final F factory;
        final String label;

        Guarded(F factory, String label) {
            this.factory = factory;
            this.label = label;
        }

        @Override
        public String name() {
            return factory.name();
        }

        @Override
        public String description() {
            return factory.description();
        }

        @Override
        public List<ConfigKey<?>> configKeys() {
            return factory.configKeys();
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private static final class Scheduling extends Guarded<SchedulerFactory> implements SchedulerFactory {
        Scheduling(SchedulerFactory factory, String label) {
            super(factory, label);
        }

        @Override
        public Scheduler create(PluginConfig config, SchedulerContext context) {
            return GuardedFactories.create(label, () -> factory.create(config, context));
        }
    }

    private static final class Speculating extends Guarded<SpeculatorFactory> implements SpeculatorFactory {
        Speculating(SpeculatorFactory factory, String label) {
            super(factory, label);
        }

        @Override
        public Speculator create(PluginConfig config, SpeculatorContext context) {
            return GuardedFactories.create(label, () -> factory.create(config, context));
        }
    }

    private static final class Attending extends Guarded<AttentionBackendFactory> implements AttentionBackendFactory {
        Attending(AttentionBackendFactory factory, String label) {
            super(factory, label);
        }

        @Override
        public AttentionBackend create(PluginConfig config, AttentionBackendContext context) {
            return GuardedFactories.create(label, () -> factory.create(config, context));
        }
    }

    private static final class Coding extends Guarded<KVCodecFactory> implements KVCodecFactory {
        Coding(KVCodecFactory factory, String label) {
            super(factory, label);
        }

        @Override
        public KVCodec create(PluginConfig config, KVCodecContext context) {
            return GuardedFactories.create(label, () -> factory.create(config, context));
        }
    }

    private static final class Planning extends Guarded<ParallelPlannerFactory> implements ParallelPlannerFactory {
        Planning(ParallelPlannerFactory factory, String label) {
            super(factory, label);
        }

        @Override
        public ParallelPlanner create(PluginConfig config, PlannerContext context) {
            return GuardedFactories.create(label, () -> factory.create(config, context));
        }
    }
}
