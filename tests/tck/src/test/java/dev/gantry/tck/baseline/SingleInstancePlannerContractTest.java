package dev.gantry.tck.baseline;

import dev.gantry.tck.GantryTck;
import dev.gantry.tck.planner.ParallelPlannerContractTest;
import dev.gantry.tck.planner.PlannerKit;

/** The baseline's single-instance planner: one model, one device; everything else refused cleanly. */
class SingleInstancePlannerContractTest extends ParallelPlannerContractTest {

    @Override
    protected PlannerKit parallelPlanner() {
        return GantryTck.parallelPlanner("single-instance");
    }
}
