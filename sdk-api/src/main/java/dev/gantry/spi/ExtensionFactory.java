package dev.gantry.spi;

import java.util.List;

/**
 * What every extension-point factory shares: a name operators select it by, a description, and the settings
 * it reads. Factories are created once per plugin when the runtime starts and may be asked for several
 * instances (one per served model, one per test).
 *
 * <p>Names are lower-case words joined by {@code -} ({@code fcfs}, {@code skip-join-mlfq}), unique per
 * extension point across everything on the class path; a clash stops start-up naming both classes. The
 * names of the {@code baseline} plugin are reserved.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface ExtensionFactory {

    /**
     * The name operators select this implementation by ({@code gantry.scheduler=fcfs}). Never null.
     *
     * @return the implementation's name
     */
    String name();

    /** {@return one sentence for listings such as {@code /v1/plugins}} */
    default String description() {
        return name();
    }

    /**
     * The settings this implementation reads. The runtime rejects any other key under the plugin's namespace,
     * so declare every key you read.
     *
     * @return the keys, relative to the plugin's namespace; never null
     */
    default List<ConfigKey<?>> configKeys() {
        return List.of();
    }
}
