package dev.gantry.plugins.baseline.scheduler;

import dev.gantry.spi.ConfigKey;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.scheduler.PreemptionMode;
import dev.gantry.spi.scheduler.Scheduler;
import dev.gantry.spi.scheduler.SchedulerContext;
import dev.gantry.spi.scheduler.SchedulerFactory;

import java.util.List;

/** Creates {@link FcfsScheduler}, the default scheduler ({@code gantry.scheduler=fcfs}). */
public final class FcfsSchedulerFactory implements SchedulerFactory {

    /** How FCFS frees blocks when running sequences outgrow the cache. */
    public static final ConfigKey<PreemptionMode> PREEMPTION_MODE = ConfigKey.enumeration("fcfs.preemption-mode",
            PreemptionMode.class, PreemptionMode.RECOMPUTE,
            "how the newest running sequence gives up its KV blocks when memory runs out: recompute or swap");

    @Override
    public String name() {
        return "fcfs";
    }

    @Override
    public String description() {
        return "first come, first served with continuous batching and chunked prefill";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(PREEMPTION_MODE);
    }

    @Override
    public Scheduler create(PluginConfig config, SchedulerContext context) {
        return new FcfsScheduler(config.get(PREEMPTION_MODE));
    }
}
