package com.example.gantry.priority;

import dev.gantry.spi.GantryPlugin;
import dev.gantry.spi.scheduler.SchedulerFactory;

import java.util.List;

/**
 * The plugin: one scheduler, {@code priority}. Gantry finds it through
 * {@code META-INF/services/dev.gantry.spi.GantryPlugin}; its settings live under
 * {@code gantry.plugin.priority.*}.
 */
public final class PriorityPlugin implements GantryPlugin {

    @Override
    public String name() {
        return "priority";
    }

    @Override
    public List<SchedulerFactory> schedulers() {
        return List.of(new PrioritySchedulerFactory());
    }
}
