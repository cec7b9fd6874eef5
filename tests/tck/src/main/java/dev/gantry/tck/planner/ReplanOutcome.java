package dev.gantry.tck.planner;

import dev.gantry.spi.planner.PlanningProblem;
import dev.gantry.spi.planner.Replan;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a planner answered to a change: the plan it made before, and the new plan with its migration (or what
 * it threw).
 *
 * @param label  what was asked, for messages
 * @param first  the plan before the change
 * @param after  the problem after the change
 * @param lost   devices that went away
 * @param replan the new plan and migration, or null when it threw
 * @param thrown what it threw, or null
 * @param evaluatorCalls how often it consulted the shared cost model while re-planning
 */
public record ReplanOutcome(String label, PlanOutcome first, PlanningProblem after, Set<String> lost, Replan replan,
                            Throwable thrown, long evaluatorCalls) {

    /**
     * Fails unless the new plan is valid for the problem after the change, uses no lost device, carries the
     * shared cost model's prediction, and the migration's steps target the new plan's positions, copy only from
     * surviving devices and load every device that joins.
     */
    public ReplanOutcome assertValidMigration() {
        if (replan == null) {
            fail(label + ": no re-plan: " + thrown, thrown);
        }
        PlanOutcome next = new PlanOutcome(label, after, replan.plan(), null, evaluatorCalls);
        next.assertValid();
        List<String> used = replan.plan().deviceIds().stream().filter(lost::contains).toList();
        if (!used.isEmpty()) {
            fail(label + ": the new plan still uses lost devices " + used);
        }
        List<String> problems = PlanChecks.migrationProblems(after, first.plan(), replan.plan(), replan.migration(),
                lost);
        if (!problems.isEmpty()) {
            fail(label + ": " + String.join("; ", problems));
        }
        return this;
    }
}
