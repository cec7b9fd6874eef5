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
 * <p>Packaging: a plugin installed from a jar on the plugin path ({@code gantry.plugin-path}) is loaded in a
 * class loader of its own that shares only {@code dev.gantry.spi} and its subpackages with Gantry, so it bundles
 * (or names in its manifest {@code Class-Path}) every library it needs except this SPI. Its manifest must record
 * the SPI version it was compiled against, {@code Gantry-SPI-Version: <gantry-sdk-api version>}; Gantry refuses
 * a jar without it, or one built against an SPI it cannot run (another major version, or before 1.0 another
 * minor version, or a newer one). The plugin TCK ({@code gantry-tck}) checks a plugin against this contract.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface GantryPlugin {

    /**
     * The plugin's name: lower-case words joined by {@code -}, unique on the class path. It is also the
     * namespace of its settings ({@code gantry.plugin.<name>.<key>}).
     *
     * @return the plugin's name; never null
     */
    String name();

    /**
     * The plugin's version. The default reads {@code Implementation-Version} from the jar manifest and falls
     * back to {@code "unknown"}.
     *
     * @return the version, for listings and logs; never null
     */
    default String version() {
        String v = getClass().getPackage() == null ? null : getClass().getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /** {@return scheduler implementations this plugin provides} */
    default List<SchedulerFactory> schedulers() {
        return List.of();
    }

    /** {@return speculator implementations this plugin provides} */
    default List<SpeculatorFactory> speculators() {
        return List.of();
    }

    /** {@return attention backends this plugin provides} */
    default List<AttentionBackendFactory> attentionBackends() {
        return List.of();
    }

    /** {@return KV codecs this plugin provides} */
    default List<KVCodecFactory> kvCodecs() {
        return List.of();
    }

    /** {@return parallel planners this plugin provides} */
    default List<ParallelPlannerFactory> parallelPlanners() {
        return List.of();
    }
}
