package dev.gantry.plugins.baseline.planner;

import dev.gantry.spi.ClusterEvent;
import dev.gantry.spi.ModelInfo;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.planner.Cluster;
import dev.gantry.spi.planner.DeviceSpec;
import dev.gantry.spi.planner.InfeasiblePlanException;
import dev.gantry.spi.planner.InstancePlan;
import dev.gantry.spi.planner.LayerRange;
import dev.gantry.spi.planner.LengthDistribution;
import dev.gantry.spi.planner.Migration;
import dev.gantry.spi.planner.MigrationStep;
import dev.gantry.spi.planner.ModelDescription;
import dev.gantry.spi.planner.ModelTraffic;
import dev.gantry.spi.planner.ParallelPlanner;
import dev.gantry.spi.planner.Plan;
import dev.gantry.spi.planner.PlanObjective;
import dev.gantry.spi.planner.PlannerContext;
import dev.gantry.spi.planner.PlanningProblem;
import dev.gantry.spi.planner.Replan;
import dev.gantry.spi.planner.Slo;
import dev.gantry.spi.planner.Workload;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SingleInstancePlannerTest {

    private static final long GIB = 1L << 30;

    /** TinyLlama-1.1B's shape, F16 weights (1,100,059,648 parameters × 2 bytes). */
    private static final ModelDescription TINY_LLAMA = ModelDescription.fromModelInfo(new ModelInfo(
            "tinyllama-1.1b", "llama", 22, 2048, 32, 4, 64, 5632, 32000, 2048, 2_200_119_296L), 2);

    private static final ModelTraffic CHAT = ModelTraffic.poisson("tinyllama-1.1b", 2,
            new LengthDistribution(256, 200, 1536), new LengthDistribution(128, 100, 512), Slo.of(1.0, 0.1));

    private static final ParallelPlanner PLANNER = new SingleInstancePlannerFactory()
            .create(PluginConfig.empty("baseline"), PlannerContext.of(InstantSource.fixed(Instant.EPOCH), 1));

    private static final RooflinePlanEvaluator EVALUATOR = new RooflinePlanEvaluator();

    private static DeviceSpec gpu(String id, long memoryBytes, double price) {
        return DeviceSpec.onDemand(id, "24G-GPU", memoryBytes, 121e12, 300e9, price);
    }

    private static PlanningProblem problem(Cluster cluster, PlanObjective objective) {
        return PlanningProblem.of(TINY_LLAMA, cluster, CHAT, objective);
    }

    @Test
    void factoryIsNamedSingleInstance() {
        assertEquals("single-instance", new SingleInstancePlannerFactory().name());
        assertEquals("single-instance", PLANNER.name());
    }

    @Test
    void placesTinyLlamaWholeOnOne24GbGpu() {
        Plan plan = PLANNER.plan(problem(Cluster.of(gpu("gpu0", 24 * GIB, 0.8)), PlanObjective.MAX_THROUGHPUT),
                EVALUATOR);

        assertEquals(1, plan.instances().size());
        InstancePlan instance = plan.instances().getFirst();
        assertEquals("tinyllama-1.1b", instance.model());
        assertEquals(List.of("gpu0"), instance.deviceIds());
        assertEquals(1, instance.tensorParallel());
        assertEquals(1, instance.pipelineParallel());
        assertEquals(1, instance.sequenceParallel());
        assertEquals(1, instance.stages().size());
        assertEquals(LayerRange.of(0, 22), instance.stages().getFirst().slice());

        long kvBytesPerToken = 2L * 22 * 4 * 64 * 2;   // K and V, 22 layers, 4 KV heads of 64, F16
        assertEquals(22_528, kvBytesPerToken);
        long kvTokens = (24 * GIB - 2_200_119_296L) / kvBytesPerToken;
        assertEquals(1_046_239, kvTokens);
        assertEquals(kvTokens, instance.kvCapacityTokens());
        assertEquals(kvTokens / 384, instance.maxBatchSequences(), "mean-length sequences of 256 + 128 tokens");
        assertEquals(kvTokens / 384, instance.maxBatchedTokens(), "more than the longest prompt of 1536 tokens");

        assertEquals(2 * 128, plan.prediction().tokensPerSecond(), 1e-9, "it keeps up with 2 requests/s");
        assertEquals(0.8, plan.prediction().costPerHour());
        assertEquals(EVALUATOR.evaluate(problem(Cluster.of(gpu("gpu0", 24 * GIB, 0.8)),
                PlanObjective.MAX_THROUGHPUT), plan), plan.prediction(), "the prediction is the evaluator's");
    }

    @Test
    void refusesWhenNoDeviceHoldsTheWeights() {
        ModelDescription big = ModelDescription.uniform("llama-13b", 40, 26_000_000_000L, 2.6e10, 819_200, 10_240);
        ModelTraffic traffic = ModelTraffic.poisson("llama-13b", 1, LengthDistribution.fixed(100),
                LengthDistribution.fixed(100), Slo.NONE);
        PlanningProblem problem = PlanningProblem.of(big,
                Cluster.of(gpu("gpu-small", 8 * GIB, 0.3), gpu("gpu-mid", 16 * GIB, 0.5)), traffic,
                PlanObjective.MAX_THROUGHPUT);
        String message = assertThrows(InfeasiblePlanException.class, () -> PLANNER.plan(problem, EVALUATOR))
                .getMessage();
        assertTrue(message.contains("no single device holds model 'llama-13b'"), message);
        assertTrue(message.contains("24.21 GiB (26000000000 bytes) of weights"), message);
        assertTrue(message.contains("the largest device, 'gpu-mid' (24G-GPU), has 16.00 GiB (17179869184 bytes)"),
                message);
    }

    @Test
    void prefersTheMostKvRoomOrUnderMinCostTheCheapestDevice() {
        Cluster cluster = Cluster.of(gpu("small", 16 * GIB, 0.5), gpu("large", 48 * GIB, 1.5),
                gpu("large-cheap", 48 * GIB, 1.0));
        assertEquals(List.of("large-cheap"),
                PLANNER.plan(problem(cluster, PlanObjective.MAX_THROUGHPUT), EVALUATOR).deviceIds());
        assertEquals(List.of("small"), PLANNER.plan(problem(cluster, PlanObjective.MIN_COST), EVALUATOR).deviceIds());
        PlanningProblem budget = new PlanningProblem(List.of(TINY_LLAMA), cluster, Workload.of(CHAT),
                PlanObjective.MAX_THROUGHPUT, 0.4);
        assertTrue(assertThrows(InfeasiblePlanException.class, () -> PLANNER.plan(budget, EVALUATOR)).getMessage()
                .contains("fits the budget of 0.4000 per hour; the cheapest, 'small', costs 0.5000"));
    }

    @Test
    void refusesSeveralModels() {
        ModelDescription other = ModelDescription.uniform("other", 2, 1000, 2000, 10, 10);
        ModelTraffic otherTraffic = ModelTraffic.poisson("other", 1, LengthDistribution.fixed(1),
                LengthDistribution.fixed(1), Slo.NONE);
        PlanningProblem two = new PlanningProblem(List.of(TINY_LLAMA, other), Cluster.of(gpu("g", 24 * GIB, 1)),
                Workload.of(CHAT, otherTraffic), PlanObjective.MAX_THROUGHPUT, Double.POSITIVE_INFINITY);
        assertTrue(assertThrows(InfeasiblePlanException.class, () -> PLANNER.plan(two, EVALUATOR)).getMessage()
                .contains("places one model; the problem has 2: tinyllama-1.1b, other"));
    }

    @Test
    void replanAfterLosingTheDeviceMovesToTheOtherOne() {
        Cluster cluster = Cluster.of(gpu("gpu0", 24 * GIB, 0.8), gpu("gpu1", 24 * GIB, 0.8));
        PlanningProblem before = problem(cluster, PlanObjective.MAX_THROUGHPUT);
        Plan current = PLANNER.plan(before, EVALUATOR);
        assertEquals(List.of("gpu0"), current.deviceIds(), "ties go to the cluster's order");

        PlanningProblem after = before.withCluster(cluster.withoutDevices(List.of("gpu0")));
        Replan replan = PLANNER.replan(after, current,
                new ClusterEvent.DevicesChanged(List.of("gpu0"), List.of(), Instant.EPOCH), EVALUATOR);

        assertEquals(List.of("gpu1"), replan.plan().deviceIds());
        Migration migration = replan.migration();
        assertEquals(List.of(new MigrationStep("tinyllama-1.1b", 0, 0, LayerRange.of(0, 22), "gpu1",
                Optional.of("gpu0"), Optional.empty(), 2_200_119_296L, 0)), migration.steps());
        assertEquals(0, migration.reusedBytes());
        assertTrue(Double.isNaN(migration.estimatedSeconds()), "weights come from storage, whose speed is unknown");
    }

    @Test
    void replanWhenADeviceIsAddedKeepsThePlan() {
        Cluster one = Cluster.of(gpu("gpu0", 24 * GIB, 0.8));
        PlanningProblem before = problem(one, PlanObjective.MAX_THROUGHPUT);
        Plan current = PLANNER.plan(before, EVALUATOR);
        PlanningProblem after = before.withCluster(Cluster.of(gpu("gpu0", 24 * GIB, 0.8), gpu("gpu1", 24 * GIB, 0.8)));
        Replan replan = PLANNER.replan(after, current,
                new ClusterEvent.DevicesChanged(List.of(), List.of("gpu1"), Instant.EPOCH), EVALUATOR);
        assertEquals(current.instances(), replan.plan().instances());
        assertTrue(replan.migration().isEmpty());
        assertEquals(2_200_119_296L, replan.migration().reusedBytes());
    }
}
