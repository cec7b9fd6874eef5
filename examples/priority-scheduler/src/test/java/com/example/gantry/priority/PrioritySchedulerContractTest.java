package com.example.gantry.priority;

import dev.gantry.tck.GantryTck;
import dev.gantry.tck.scheduler.SchedulerBehavior;
import dev.gantry.tck.scheduler.SchedulerContractTest;
import dev.gantry.tck.scheduler.SchedulerKit;

import java.util.Map;

/**
 * The whole scheduler contract, from the plugin TCK: the scheduler is found by name through ServiceLoader, as
 * Gantry finds it, and declares that it preempts (by recompute, or by swap when configured) and honours
 * priorities.
 */
class PrioritySchedulerContractTest extends SchedulerContractTest {

    @Override
    protected SchedulerKit scheduler() {
        return GantryTck.scheduler("priority")
                .behaves(SchedulerBehavior.PREEMPTS_BY_RECOMPUTE)
                .behaves(SchedulerBehavior.PREEMPTS_BY_SWAP, Map.of("preemption-mode", "swap"))
                .behaves(SchedulerBehavior.PRIORITIES);
    }
}
