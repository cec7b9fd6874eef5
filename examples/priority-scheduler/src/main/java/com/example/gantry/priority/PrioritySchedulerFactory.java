package com.example.gantry.priority;

import dev.gantry.spi.ConfigKey;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.scheduler.PreemptionMode;
import dev.gantry.spi.scheduler.Scheduler;
import dev.gantry.spi.scheduler.SchedulerContext;
import dev.gantry.spi.scheduler.SchedulerFactory;

import java.util.List;

/** Creates {@link PriorityScheduler} ({@code gantry.scheduler=priority}). */
public final class PrioritySchedulerFactory implements SchedulerFactory {

    /** Steps a request waits before its priority counts one higher. */
    static final ConfigKey<Integer> AGING_STEPS = ConfigKey.integer("aging-steps", 256,
            "steps a waiting request waits before its priority counts one higher (no request waits forever)")
            .atLeast(1);

    /** How running sequences give up KV blocks. */
    static final ConfigKey<PreemptionMode> PREEMPTION_MODE = ConfigKey.enumeration("preemption-mode",
            PreemptionMode.class, PreemptionMode.RECOMPUTE,
            "how a lower-priority running sequence gives up its KV blocks: recompute or swap");

    /** Whether a waiting request may take the blocks of a running one of lower priority. */
    static final ConfigKey<Boolean> PREEMPT_FOR_PRIORITY = ConfigKey.bool("preempt-for-priority", true,
            "whether a waiting request may preempt running requests of lower priority when blocks are short");

    @Override
    public String name() {
        return "priority";
    }

    @Override
    public String description() {
        return "highest priority first, with aging; preempts lower priorities when KV blocks run short";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(AGING_STEPS, PREEMPTION_MODE, PREEMPT_FOR_PRIORITY);
    }

    @Override
    public Scheduler create(PluginConfig config, SchedulerContext context) {
        config.requireOnly(configKeys());
        return new PriorityScheduler(config.get(AGING_STEPS), config.get(PREEMPTION_MODE),
                config.get(PREEMPT_FOR_PRIORITY));
    }
}
