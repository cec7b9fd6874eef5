package dev.gantry.tck.baseline;

import dev.gantry.tck.GantryTck;
import dev.gantry.tck.scheduler.SchedulerBehavior;
import dev.gantry.tck.scheduler.SchedulerContractTest;
import dev.gantry.tck.scheduler.SchedulerKit;

import java.util.Map;

/** The baseline's FCFS scheduler keeps the scheduler contract, preempting by recompute (default) or swap. */
class FcfsSchedulerContractTest extends SchedulerContractTest {

    @Override
    protected SchedulerKit scheduler() {
        return GantryTck.scheduler("fcfs")
                .behaves(SchedulerBehavior.PREEMPTS_BY_RECOMPUTE)
                .behaves(SchedulerBehavior.PREEMPTS_BY_SWAP, Map.of("fcfs.preemption-mode", "swap"));
    }
}
