package dev.gantry.tck.planner;

import dev.gantry.spi.planner.InstancePlan;
import dev.gantry.spi.planner.Plan;
import dev.gantry.spi.planner.PlanPrediction;
import dev.gantry.spi.planner.PlanningProblem;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a planner answered to one problem: a plan, or what it threw.
 *
 * @param label          what was asked, for messages
 * @param problem        the problem
 * @param plan           the plan, or null when it threw
 * @param thrown         what it threw, or null
 * @param evaluatorCalls how often it consulted the shared cost model
 */
public record PlanOutcome(String label, PlanningProblem problem, Plan plan, Throwable thrown, long evaluatorCalls) {

    /**
     * Fails unless a plan came back that fits the problem, device memory, the budget and the links, and carries
     * exactly the shared cost model's prediction for it.
     */
    public PlanOutcome assertValid() {
        if (plan == null) {
            fail(label + ": no plan: " + thrown, thrown);
        }
        List<String> problems = PlanChecks.problems(problem, plan);
        if (!problems.isEmpty()) {
            fail(label + ": " + String.join("; ", problems));
        }
        assertPredictionFromTheSharedCostModel();
        return this;
    }

    /** Fails unless the plan's prediction is what the shared cost model predicts for it. */
    public PlanOutcome assertPredictionFromTheSharedCostModel() {
        if (plan.prediction().equals(PlanPrediction.UNKNOWN)) {
            fail(label + ": the plan carries no prediction; score it with the evaluator you are handed");
        }
        PlanPrediction expected = PlannerKit.sharedCostModel().evaluate(problem, plan.withPrediction(
                PlanPrediction.UNKNOWN));
        assertEquals(expected, plan.prediction(), label + ": the plan's prediction must be the shared cost model's "
                + "(evaluate(problem, plan)), not figures of the planner's own");
        if (evaluatorCalls == 0) {
            fail(label + ": the planner never consulted the evaluator it was handed");
        }
        return this;
    }

    /** Fails unless the planner refused with {@code InfeasiblePlanException}, its message naming {@code what}. */
    public PlanOutcome assertRefusedNaming(String what) {
        if (plan != null) {
            fail(label + ": planned " + plan.instances().stream().map(InstancePlan::id).toList()
                    + " where it should have refused as infeasible");
        }
        if (!PlannerKit.refusedCleanly(thrown)) {
            fail(label + ": refused with " + thrown + "; refuse with InfeasiblePlanException and a message", thrown);
        }
        if (!thrown.getMessage().contains(what)) {
            fail(label + ": the refusal should name '" + what + "': " + thrown.getMessage());
        }
        return this;
    }

    /** Fails unless the outcome is a valid plan or a clean refusal. */
    public PlanOutcome assertValidOrRefusedCleanly() {
        if (plan != null) {
            return assertValid();
        }
        if (!PlannerKit.refusedCleanly(thrown)) {
            fail(label + ": failed with " + thrown + "; refuse with InfeasiblePlanException and a message", thrown);
        }
        return this;
    }

    /** The models the plan has instances for. */
    public Set<String> modelsServed() {
        return plan == null ? Set.of() : plan.instances().stream().map(InstancePlan::model)
                .collect(Collectors.toSet());
    }

    /** The largest number of devices any instance uses. */
    public int maxDevicesPerInstance() {
        return plan == null ? 0 : plan.instances().stream().mapToInt(i -> i.deviceIds().size()).max().orElse(0);
    }
}
