package dev.gantry.spi.planner;

import dev.gantry.spi.ClusterEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

import static dev.gantry.spi.planner.PlannerFixtures.gpu;
import static dev.gantry.spi.planner.PlannerFixtures.onDevice;
import static dev.gantry.spi.planner.PlannerFixtures.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ParallelPlannerTest {

    /** Puts the model on the cluster's first device; relies on the default re-plan. */
    private static final class FirstDevicePlanner implements ParallelPlanner {
        @Override
        public String name() {
            return "first-device";
        }

        @Override
        public Plan plan(PlanningProblem problem, PlanEvaluator evaluator) {
            Plan plan = Plan.of(onDevice("x", problem.cluster().devices().getFirst().id()));
            return plan.withPrediction(evaluator.evaluate(problem, plan));
        }
    }

    private static final PlanEvaluator UNKNOWING = (problem, plan) -> PlanPrediction.UNKNOWN;

    @Test
    void defaultReplanPlansAgainAndMigratesByPosition() {
        PlanningProblem before = problem(Cluster.of(gpu("a"), gpu("b")));
        ParallelPlanner planner = new FirstDevicePlanner();
        Plan current = planner.plan(before, UNKNOWING);
        PlanningProblem after = before.withCluster(before.cluster().withoutDevices(List.of("a")));
        Replan replan = planner.replan(after, current,
                new ClusterEvent.DevicesChanged(List.of("a"), List.of(), Instant.EPOCH), UNKNOWING);
        assertEquals(List.of("b"), replan.plan().deviceIds());
        assertEquals(1, replan.migration().steps().size());
        assertEquals(Optional.of("a"), replan.migration().steps().getFirst().previousDevice());
    }

    @Test
    void evaluatorEstimateDefaultsToEvaluate() {
        PlanningProblem p = problem(Cluster.of(gpu("a")));
        assertEquals(PlanPrediction.UNKNOWN, UNKNOWING.estimate(p, Plan.of(onDevice("x", "a"))));
    }

    @Test
    void contextRandomnessIsReproducible() {
        PlannerContext context = PlannerContext.of(InstantSource.fixed(Instant.EPOCH), 42);
        assertEquals(context.newRandom().nextLong(), context.newRandom().nextLong());
        assertEquals(Instant.EPOCH, context.clock().instant());
    }
}
