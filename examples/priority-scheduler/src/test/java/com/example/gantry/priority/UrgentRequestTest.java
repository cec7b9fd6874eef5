package com.example.gantry.priority;

import dev.gantry.spi.scheduler.PreemptionMode;
import dev.gantry.tck.GantryTck;
import dev.gantry.tck.KitRequest;
import dev.gantry.tck.scheduler.SchedulerRun;
import dev.gantry.tck.scheduler.SchedulerRun.Violation.Kind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What this scheduler is for, checked with the kit's run API: one urgent request among many ordinary ones, with
 * too little KV memory for all of them, runs first and is never the one preempted.
 */
class UrgentRequestTest {

    @Test
    void theUrgentRequestIsAdmittedFirstAndNeverPreempted() {
        List<KitRequest> workload = new ArrayList<>(KitRequest.stories(15, 40));
        workload.add(7, KitRequest.of("Once upon a time, there was an urgent story", 40).withPriority(9));

        SchedulerRun run = GantryTck.scheduler("priority").workload(workload).kvBlocks(24).run()
                .assertNo(Kind.values())
                .assertEveryRequestFinished()
                .assertPreempted(PreemptionMode.RECOMPUTE);

        SchedulerRun.RequestOutcome urgent = run.outcomes().get(7);
        assertEquals(urgent.sequence(), run.admissionOrder().getFirst(), "admitted first");
        assertEquals(0, urgent.result().preemptions(), "never preempted");
    }
}
