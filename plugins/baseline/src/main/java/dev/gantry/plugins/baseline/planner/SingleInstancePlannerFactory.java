package dev.gantry.plugins.baseline.planner;

import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.planner.ParallelPlanner;
import dev.gantry.spi.planner.ParallelPlannerFactory;
import dev.gantry.spi.planner.PlannerContext;

/** Creates {@link SingleInstancePlanner}, the default planner ({@code gantry.planner=single-instance}). */
public final class SingleInstancePlannerFactory implements ParallelPlannerFactory {

    @Override
    public String name() {
        return SingleInstancePlanner.NAME;
    }

    @Override
    public String description() {
        return "the whole model on the one device that leaves the most memory for KV cache";
    }

    @Override
    public ParallelPlanner create(PluginConfig config, PlannerContext context) {
        return new SingleInstancePlanner();
    }
}
