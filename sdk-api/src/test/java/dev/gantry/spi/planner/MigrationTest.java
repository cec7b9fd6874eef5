package dev.gantry.spi.planner;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.gantry.spi.planner.PlannerFixtures.gpu;
import static dev.gantry.spi.planner.PlannerFixtures.onDevice;
import static dev.gantry.spi.planner.PlannerFixtures.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationTest {

    private static final Link FAST = new Link("a", "b", 1000, 0.5);

    @Test
    void identicalPlansMoveNothing() {
        PlanningProblem p = problem(Cluster.of(gpu("a")));
        Plan plan = Plan.of(onDevice("x", "a"));
        Migration m = Migration.positional(p, plan, plan);
        assertTrue(m.isEmpty());
        assertEquals(1000, m.reusedBytes(), "the toy model's weights stay in place");
        assertEquals(0, m.estimatedSeconds());
    }

    @Test
    void aLostDeviceIsReplacedFromStorage() {
        PlanningProblem after = problem(Cluster.of(gpu("b")));
        Migration m = Migration.positional(after, Plan.of(onDevice("x", "a")), Plan.of(onDevice("x", "b")));
        assertEquals(List.of(new MigrationStep("x", 0, 0, LayerRange.of(0, 4), "b", Optional.of("a"),
                Optional.empty(), 1000, 0)), m.steps());
        assertEquals(1000, m.movedBytes());
        assertTrue(Double.isNaN(m.estimatedSeconds()), "storage speed is unknown");
    }

    @Test
    void aSurvivingHolderSendsItsShardOverTheLink() {
        PlanningProblem p = problem(new Cluster(List.of(gpu("a"), gpu("b")), List.of(FAST)));
        Migration m = Migration.positional(p, Plan.of(onDevice("x", "a")), Plan.of(onDevice("x", "b")));
        assertEquals(Optional.of("a"), m.steps().getFirst().sourceDevice());
        assertEquals(0.5 + 1000 / 1000.0, m.estimatedSeconds(), 1e-12);
    }

    @Test
    void aPipelineSplitReloadsEverySliceThatChanged() {
        PlanningProblem p = problem(new Cluster(List.of(gpu("a"), gpu("b")), List.of(FAST)));
        Plan whole = Plan.of(onDevice("x", "a"));
        Plan split = Plan.of(new InstancePlan("x", "toy", 1, 2, 1, List.of(
                StageAssignment.ofLayers(0, List.of("a"), 0, 2), StageAssignment.ofLayers(1, List.of("b"), 2, 4)),
                8, 64, 100));
        Migration m = Migration.positional(p, whole, split);
        // Trivial by design: [0,2) on a is a different slice from [0,4), so it is reloaded too.
        assertEquals(2, m.steps().size());
        assertEquals(Optional.empty(), m.steps().get(1).previousDevice());
        assertEquals(Optional.empty(), m.steps().get(1).sourceDevice());
        assertEquals(1000, m.movedBytes(), "both halves of the weights");
    }

    @Test
    void stepsAndMigrationsAreValidated() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MigrationStep("x", 0, 0,
                LayerRange.of(0, 1), "a", Optional.empty(), Optional.of("a"), 1, 0)).getMessage()
                .contains("a device cannot copy from itself"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MigrationStep("x", 0, 0,
                LayerRange.of(0, 1), "a", Optional.empty(), Optional.empty(), -1, 0)).getMessage()
                .contains("bytes must be ≥ 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Migration(List.of(), 0, -1)).getMessage()
                .contains("estimatedSeconds"));
    }
}
