package dev.gantry.spi.planner;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.gantry.spi.planner.PlannerFixtures.gpu;
import static dev.gantry.spi.planner.PlannerFixtures.onDevice;
import static dev.gantry.spi.planner.PlannerFixtures.problem;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanTest {

    private static String failure(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    private static StageAssignment stage(int index, List<String> devices, int from, int to) {
        return StageAssignment.ofLayers(index, devices, from, to);
    }

    @Test
    void stagesAreValidated() {
        assertTrue(failure(() -> LayerRange.of(3, 3)).contains("[3,3) must satisfy 0 ≤ from < to"));
        assertTrue(failure(() -> stage(0, List.of(), 0, 1)).contains("stage 0: needs at least one device"));
        assertTrue(failure(() -> stage(0, List.of("a", "a"), 0, 1)).contains("lists a device twice"));
        assertTrue(failure(() -> new StageAssignment(0, List.of("a", "b", "c"), LayerRange.of(0, 1), 2))
                .contains("tensorParallel 2 must be ≥ 1 and divide its 3 devices"));
        assertTrue(failure(() -> new GraphNodes(List.of("x", "x"))).contains("duplicate node id"));
        assertEquals(2, new StageAssignment(0, List.of("a", "b", "c", "d"), LayerRange.of(0, 1), 2).lanes());
    }

    @Test
    void instancesAreValidatedWithTheirId() {
        List<StageAssignment> two = List.of(stage(0, List.of("a"), 0, 2), stage(1, List.of("b"), 2, 4));
        assertTrue(failure(() -> new InstancePlan("i", "toy", 1, 3, 1, two, 1, 1, 1))
                .contains("instance 'i': pipelineParallel 3 exceeds its 2 stages"));
        assertTrue(failure(() -> new InstancePlan("i", "toy", 1, 2, 1,
                List.of(stage(1, List.of("a"), 0, 2), stage(0, List.of("b"), 2, 4)), 1, 1, 1))
                .contains("stage at position 0 has index 1"));
        assertTrue(failure(() -> new InstancePlan("i", "toy", 2, 2, 1, two, 1, 1, 1))
                .contains("stage 0 has 1 devices, but tensorParallel × sequenceParallel is 2"));
        assertTrue(failure(() -> new InstancePlan("i", "toy", 1, 2, 1,
                List.of(stage(0, List.of("a"), 0, 2), StageAssignment.ofGraphNodes(1, List.of("b"), List.of("n"))),
                1, 1, 1)).contains("mixes layer-range and graph-node stages"));
        assertTrue(failure(() -> new InstancePlan("i", "toy", 1, 2, 1, two, 0, 1, 1)).contains("batch limits"));
        assertTrue(failure(() -> new InstancePlan("i", "toy", 1, 2, 1, two, 1, 1, 1, 0))
                .contains("computeShare must be in (0, 1]"));
        assertTrue(failure(() -> new InstancePlan("i", "toy", 0, 2, 1, two, 1, 1, 1)).contains("parallel degrees"));
        assertTrue(failure(() -> new InstancePlan("i", "toy", 2, 1, 2,
                List.of(new StageAssignment(0, List.of("a", "b", "c", "d"), LayerRange.of(0, 4), 4)), 1, 1, 1))
                .contains("splits layers 4 ways, which does not divide the instance's tensorParallel 2"));
        assertEquals(List.of("a", "b"), new InstancePlan("i", "toy", 1, 2, 1, two, 1, 1, 1).deviceIds());
    }

    @Test
    void stageListIsCopied() {
        List<StageAssignment> stages = new ArrayList<>(List.of(stage(0, List.of("a"), 0, 4)));
        InstancePlan i = new InstancePlan("i", "toy", 1, 1, 1, stages, 1, 1, 1);
        stages.add(stage(1, List.of("b"), 0, 4));
        assertEquals(1, i.stages().size());
        assertThrows(UnsupportedOperationException.class, () -> i.stages().clear());
    }

    @Test
    void plansHaveUniqueInstances() {
        assertTrue(failure(() -> Plan.of(onDevice("x", "a"), onDevice("x", "b")))
                .contains("more than one instance with id 'x'"));
        assertTrue(failure(() -> new Plan(List.of(), PlanPrediction.UNKNOWN)).contains("at least one instance"));
        Plan p = Plan.of(onDevice("x", "a"), onDevice("y", "a"));
        assertEquals(List.of("a"), p.deviceIds());
        assertEquals(Optional.of("y"), p.instance("y").map(InstancePlan::id));
        assertEquals(PlanPrediction.UNKNOWN, p.prediction());
    }

    @Test
    void checksAPlanAgainstItsProblem() {
        PlanningProblem problem = problem(Cluster.of(gpu("a"), gpu("b")));
        assertDoesNotThrow(() -> Plan.of(onDevice("x", "a")).checkAgainst(problem));
        assertTrue(failure(() -> Plan.of(onDevice("x", "z")).checkAgainst(problem))
                .contains("instance 'x' stage 0 uses device 'z', which is not in the cluster"));
        assertTrue(failure(() -> Plan.of(new InstancePlan("x", "other", 1, 1, 1,
                List.of(stage(0, List.of("a"), 0, 4)), 1, 1, 1)).checkAgainst(problem))
                .contains("serves model 'other', which the problem does not have"));
        assertTrue(failure(() -> Plan.of(new InstancePlan("x", "toy", 1, 1, 1,
                List.of(stage(0, List.of("a"), 0, 3)), 1, 1, 1)).checkAgainst(problem))
                .contains("instance 'x' has no stage holding layer 3 of model 'toy'"));
        assertTrue(failure(() -> Plan.of(new InstancePlan("x", "toy", 1, 1, 1,
                List.of(stage(0, List.of("a"), 0, 9)), 1, 1, 1)).checkAgainst(problem))
                .contains("instance 'x' stage 0: layers [0,9) lie outside model 'toy'"));
        // Replicated ranges (Helix) are a valid shape.
        assertDoesNotThrow(() -> Plan.of(new InstancePlan("x", "toy", 1, 2, 1, List.of(stage(0, List.of("a"), 0, 4),
                stage(1, List.of("b"), 0, 4)), 1, 1, 1)).checkAgainst(problem));
    }
}
