package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;
import dev.gantry.spi.ExtensionFactory;
import dev.gantry.spi.PluginConfig;

/**
 * Creates {@link Scheduler}s. Selected by {@code gantry.scheduler=<name>}.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface SchedulerFactory extends ExtensionFactory {

    /**
     * Builds a scheduler for one engine. Called once at start-up.
     *
     * @throws dev.gantry.spi.PluginConfigException for bad settings
     */
    Scheduler create(PluginConfig config, SchedulerContext context);
}
