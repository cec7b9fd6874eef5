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
     * @param config  the plugin's settings; not null
     * @param context the models, limits and instance; not null
     * @return the scheduler; never null
     * @throws dev.gantry.spi.PluginConfigException for bad settings
     */
    Scheduler create(PluginConfig config, SchedulerContext context);
}
