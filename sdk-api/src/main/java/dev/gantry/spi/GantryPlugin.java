package dev.gantry.spi;

import dev.gantry.spi.attention.AttentionBackendFactory;
import dev.gantry.spi.kv.KVCodecFactory;
import dev.gantry.spi.planner.ParallelPlannerFactory;
import dev.gantry.spi.scheduler.SchedulerFactory;
import dev.gantry.spi.speculator.SpeculatorFactory;

import java.util.List;

/**
 * The one type a plugin module implements, found with {@link java.util.ServiceLoader}: list the
 * implementation's class name in {@code META-INF/services/dev.gantry.spi.GantryPlugin}. It names the plugin,
 * gives its version, and returns factories for whichever of the five extension points it provides; a paper
 * may provide several (SpotServe gives a planner and a scheduler). Every method but {@link #name()} has a
 * default returning nothing, so new extension points arrive as new default methods that old plugins never
 * notice.
 *
 * <p>The runtime instantiates each plugin once, through its public no-argument constructor, on start-up, and
 * calls these methods from one thread before serving. A plugin with no factory at all is refused.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface GantryPlugin {

    /**
     * The plugin's name: lower-case words joined by {@code -}, unique on the class path. It is also the
     * namespace of its settings ({@code gantry.plugin.<name>.<key>}).
     */
    String name();

    /**
     * The plugin's version. The default reads {@code Implementation-Version} from the jar manifest and falls
     * back to {@code "unknown"}.
     */
    default String version() {
        String v = getClass().getPackage() == null ? null : getClass().getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /** Scheduler implementations this plugin provides. */
    default List<SchedulerFactory> schedulers() {
        return List.of();
    }

    /** Speculator implementations this plugin provides. */
    default List<SpeculatorFactory> speculators() {
        return List.of();
    }

    /** Attention backends this plugin provides. */
    default List<AttentionBackendFactory> attentionBackends() {
        return List.of();
    }

    /** KV codecs this plugin provides. */
    default List<KVCodecFactory> kvCodecs() {
        return List.of();
    }

    /** Parallel planners this plugin provides. */
    default List<ParallelPlannerFactory> parallelPlanners() {
        return List.of();
    }
}
