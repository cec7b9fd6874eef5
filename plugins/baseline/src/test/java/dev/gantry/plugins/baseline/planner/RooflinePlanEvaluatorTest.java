package dev.gantry.plugins.baseline.planner;

import dev.gantry.spi.planner.Availability;
import dev.gantry.spi.planner.Cluster;
import dev.gantry.spi.planner.DeviceSpec;
import dev.gantry.spi.planner.InfeasiblePlanException;
import dev.gantry.spi.planner.InstancePlan;
import dev.gantry.spi.planner.LengthDistribution;
import dev.gantry.spi.planner.Link;
import dev.gantry.spi.planner.ModelDescription;
import dev.gantry.spi.planner.ModelTraffic;
import dev.gantry.spi.planner.Plan;
import dev.gantry.spi.planner.PlanObjective;
import dev.gantry.spi.planner.PlanPrediction;
import dev.gantry.spi.planner.PlanningProblem;
import dev.gantry.spi.planner.Slo;
import dev.gantry.spi.planner.StageAssignment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the roofline figures against values worked out by hand for a toy model: 2 layers, 1 GB of weights,
 * 2 GFLOP and 100 kB of KV per token, on devices of 1 TB/s and 100 TFLOP/s; prompts of exactly 100 tokens,
 * outputs of exactly 11, a KV quota of 1000 tokens and at most 10 sequences.
 */
class RooflinePlanEvaluatorTest {

    private static final double TOLERANCE = 1e-12;
    private static final ModelDescription MODEL = ModelDescription.uniform("toy", 2, 1_000_000_000L, 2e9, 100_000,
            4096);
    private static final RooflinePlanEvaluator EVALUATOR = new RooflinePlanEvaluator();

    private static DeviceSpec device(String id) {
        return DeviceSpec.onDemand(id, "test", 2_000_000_000L, 1e14, 1e12, 2.0);
    }

    private static ModelTraffic traffic(double rate, Slo slo) {
        return new ModelTraffic("toy", rate, 2.0, LengthDistribution.fixed(100), LengthDistribution.fixed(11), slo);
    }

    private static PlanningProblem problem(Cluster cluster, double rate, Slo slo) {
        return PlanningProblem.of(MODEL, cluster, traffic(rate, slo), PlanObjective.MAX_THROUGHPUT);
    }

    private static Plan single(String device) {
        return Plan.of(new InstancePlan("toy", "toy", 1, 1, 1,
                List.of(StageAssignment.ofLayers(0, List.of(device), 0, 2)), 10, 100, 1000));
    }

    @Test
    void singleDeviceFiguresMatchTheHandComputation() {
        PlanPrediction p = EVALUATOR.evaluate(problem(Cluster.of(device("d0")), 100, Slo.of(0.01, 0.002)),
                single("d0"));
        // Full batch: min(10 sequences, ⌊1000 KV tokens / 111 tokens per sequence⌋) = 9; mean context 105.5.
        double decodeFull = (1e9 + 9 * 105.5 * 1e5) / 1e12;   // memory-bound: 1.09495 ms
        assertEquals(1.09495e-3, decodeFull, TOLERANCE);
        double prefill = 100 * 2e9 / 1e14;                      // compute-bound: 2 ms
        double service = prefill + 10 * decodeFull / 9;        // 10 decode steps after the first token
        double rho = 100 * service;
        double wait = rho / (1 - rho) * 2.0 * 2.0 / 2 * service;
        double decodeAtLoad = (1e9 + rho * 9 * 105.5 * 1e5) / 1e12;

        assertEquals(100, p.requestsPerSecond(), TOLERANCE);
        assertEquals(1100, p.tokensPerSecond(), 1e-9);
        assertEquals(wait + prefill, p.ttftP50Seconds(), TOLERANCE);
        assertEquals(wait + prefill, p.ttftP99Seconds(), TOLERANCE, "every prompt has 100 tokens");
        assertEquals(decodeAtLoad, p.tpotP50Seconds(), TOLERANCE);
        assertEquals(decodeFull, p.tpotP99Seconds(), TOLERANCE);
        assertEquals(2.0, p.costPerHour());
        assertEquals(1.0, p.sloAttainment(), "TTFT ≈ 5.05 ms ≤ 10 ms and TPOT ≈ 1.03 ms ≤ 2 ms");
        assertEquals(1100, p.liveputTokensPerSecond(), 1e-9, "on-demand devices are not interrupted");
    }

    @Test
    void aTightTtftIsMissedByEveryRequest() {
        // The queueing delay (≈ 3.05 ms) plus reading the weights (1 ms) already exceeds 4 ms.
        PlanPrediction p = EVALUATOR.evaluate(problem(Cluster.of(device("d0")), 100, Slo.of(0.004, 0.002)),
                single("d0"));
        assertEquals(0.0, p.sloAttainment());
    }

    @Test
    void unboundedTrafficReportsCapacity() {
        PlanPrediction p = EVALUATOR.evaluate(problem(Cluster.of(device("d0")), Double.POSITIVE_INFINITY, Slo.NONE),
                single("d0"));
        double decodeFull = (1e9 + 9 * 105.5 * 1e5) / 1e12;
        double capacity = 1 / (2e-3 + 10 * decodeFull / 9);
        assertEquals(capacity, p.requestsPerSecond(), 1e-9);
        assertEquals(capacity * 11, p.tokensPerSecond(), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, p.ttftP50Seconds());
        assertEquals(decodeFull, p.tpotP50Seconds(), TOLERANCE);
        assertEquals(0.0, p.sloAttainment());
    }

    @Test
    void pipelineStagesRunInTurnWithAHopBetween() {
        Cluster cluster = new Cluster(List.of(device("d0"), device("d1")), List.of(new Link("d0", "d1", 1e10, 1e-5)));
        Plan plan = Plan.of(new InstancePlan("toy", "toy", 1, 2, 1, List.of(
                StageAssignment.ofLayers(0, List.of("d0"), 0, 1), StageAssignment.ofLayers(1, List.of("d1"), 1, 2)),
                10, 100, 1000));
        PlanPrediction p = EVALUATOR.evaluate(problem(cluster, Double.POSITIVE_INFINITY, Slo.NONE), plan);
        double stage = (5e8 + 9 * 105.5 * 5e4) / 1e12;          // half the weights and KV each
        double hop = 1e-5 + 9 * 4096 / 1e10;                     // the hidden state of 9 tokens
        assertEquals(2 * stage + hop, p.tpotP99Seconds(), TOLERANCE);
        assertEquals(4.0, p.costPerHour());
    }

    @Test
    void tensorParallelStagesPayForTheirAllReduces() {
        Cluster cluster = new Cluster(List.of(device("d0"), device("d1")), List.of(new Link("d0", "d1", 1e10, 1e-5)));
        Plan plan = Plan.of(new InstancePlan("toy", "toy", 2, 1, 1,
                List.of(StageAssignment.ofLayers(0, List.of("d0", "d1"), 0, 2)), 10, 100, 1000));
        PlanPrediction p = EVALUATOR.evaluate(problem(cluster, Double.POSITIVE_INFINITY, Slo.NONE), plan);
        double roofline = (1e9 / 2 + 9 * 105.5 * 1e5 / 2) / 1e12;
        double allReduce = 2 * (2.0 * 1 / 2 * 9 * 4096 / 1e10 + 2 * 1e-5);   // per layer: two of them
        assertEquals(roofline + 2 * allReduce, p.tpotP99Seconds(), TOLERANCE);
    }

    @Test
    void spotDevicesLowerLiveput() {
        Cluster cluster = Cluster.of(device("d0").withAvailability(Availability.spot(1.0, 30)));
        PlanPrediction p = EVALUATOR.evaluate(problem(cluster, 100, Slo.NONE), single("d0"));
        assertEquals(1100 * (1 - Math.exp(-1)), p.liveputTokensPerSecond(), 1e-9);
    }

    @Test
    void refusesPlansThatDoNotFitOrThatItCannotModel() {
        Plan greedy = Plan.of(new InstancePlan("toy", "toy", 1, 1, 1,
                List.of(StageAssignment.ofLayers(0, List.of("d0"), 0, 2)), 10, 100, 20_000));
        String message = assertThrows(InfeasiblePlanException.class,
                () -> EVALUATOR.evaluate(problem(Cluster.of(device("d0")), 1, Slo.NONE), greedy)).getMessage();
        assertTrue(message.contains("device 'd0' (test) would hold 0.93 GiB (1000000000 bytes) of weights"),
                message);
        assertTrue(message.contains("but has 1.86 GiB (2000000000 bytes)"), message);

        Plan unlinked = Plan.of(new InstancePlan("toy", "toy", 1, 2, 1, List.of(
                StageAssignment.ofLayers(0, List.of("d0"), 0, 1), StageAssignment.ofLayers(1, List.of("d1"), 1, 2)),
                10, 100, 1000));
        assertTrue(assertThrows(InfeasiblePlanException.class, () -> EVALUATOR.evaluate(
                problem(Cluster.of(device("d0"), device("d1")), 1, Slo.NONE), unlinked)).getMessage()
                .contains("no link between them"));

        Plan replicated = Plan.of(new InstancePlan("toy", "toy", 1, 1, 1, List.of(
                StageAssignment.ofLayers(0, List.of("d0"), 0, 2), StageAssignment.ofLayers(1, List.of("d1"), 0, 2)),
                10, 100, 1000));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EVALUATOR.evaluate(
                problem(Cluster.of(device("d0"), device("d1")), 1, Slo.NONE), replicated)).getMessage()
                .contains("each layer held by exactly one stage"));
    }
}
