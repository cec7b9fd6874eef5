package dev.gantry.spi.planner;

import dev.gantry.spi.Api;
import dev.gantry.spi.ExtensionFactory;
import dev.gantry.spi.PluginConfig;

/**
 * Creates {@link ParallelPlanner}s. Selected by {@code gantry.planner=<name>}.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface ParallelPlannerFactory extends ExtensionFactory {

    /**
     * Builds a planner. Called once at start-up by the runtime (and by the {@code plan} command and tests,
     * which may build several).
     *
     * @param config  the plugin's settings; not null
     * @param context the clock and seed the planner must use; not null
     * @return the planner; never null
     * @throws dev.gantry.spi.PluginConfigException for bad settings
     */
    ParallelPlanner create(PluginConfig config, PlannerContext context);
}
