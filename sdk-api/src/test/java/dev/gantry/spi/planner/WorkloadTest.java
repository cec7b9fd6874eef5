package dev.gantry.spi.planner;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gantry.spi.planner.PlannerFixtures.gpu;
import static dev.gantry.spi.planner.PlannerFixtures.toyModel;
import static dev.gantry.spi.planner.PlannerFixtures.traffic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadTest {

    private static String failure(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void lengthsAreALognormalGivenByMeanAndStddev() {
        LengthDistribution d = new LengthDistribution(200, 300, 4096);
        double mu = d.logMu();
        double sigma = d.logSigma();
        assertEquals(200, Math.exp(mu + sigma * sigma / 2), 1e-9, "lognormal mean");
        assertEquals(300 * 300, (Math.exp(sigma * sigma) - 1) * Math.exp(2 * mu + sigma * sigma), 1e-6,
                "lognormal variance");
        assertEquals(0, LengthDistribution.fixed(7).logSigma());
        assertTrue(failure(() -> new LengthDistribution(0, 1, 10)).contains("mean must be finite and > 0"));
        assertTrue(failure(() -> new LengthDistribution(10, -1, 10)).contains("stddev"));
        assertTrue(failure(() -> new LengthDistribution(100, 1, 50)).contains("max must be ≥ 1 and ≥ the mean"));
    }

    @Test
    void slosArePositiveAndInfiniteMeansNone() {
        assertTrue(failure(() -> Slo.of(0, 1)).contains("SLO bounds must be > 0"));
        assertTrue(failure(() -> new Slo(1, 1, Double.NaN)).contains("e2e NaN"));
        assertEquals(Double.POSITIVE_INFINITY, Slo.of(1, 0.1).e2eSeconds());
    }

    @Test
    void trafficIsValidatedWithTheModelName() {
        LengthDistribution len = LengthDistribution.fixed(10);
        assertTrue(failure(() -> ModelTraffic.poisson("m", 0, len, len, Slo.NONE))
                .contains("traffic for model 'm': requestsPerSecond must be > 0"));
        assertTrue(failure(() -> new ModelTraffic("m", 1, -1, len, len, Slo.NONE)).contains("arrivalCv"));
        assertTrue(assertThrows(NullPointerException.class, () -> new ModelTraffic("m", 1, 1, null, len, Slo.NONE))
                .getMessage().contains("inputTokens"));
    }

    @Test
    void workloadSharesTraffic() {
        LengthDistribution len = LengthDistribution.fixed(10);
        Workload w = Workload.of(ModelTraffic.poisson("a", 3, len, len, Slo.NONE),
                ModelTraffic.poisson("b", 1, len, len, Slo.NONE));
        assertEquals(0.75, w.share("a"));
        assertEquals(0, w.share("c"));
        Workload capacity = Workload.of(ModelTraffic.poisson("a", Double.POSITIVE_INFINITY, len, len, Slo.NONE),
                ModelTraffic.poisson("b", 1, len, len, Slo.NONE));
        assertEquals(1, capacity.share("a"));
        assertEquals(0, capacity.share("b"));
        assertTrue(failure(() -> Workload.of(traffic("a"), traffic("a"))).contains("more than one traffic entry"));
        assertTrue(failure(() -> new Workload(List.of())).contains("at least one model"));
    }

    @Test
    void problemsNeedTrafficForExactlyTheirModels() {
        Cluster cluster = Cluster.of(gpu("g"));
        assertTrue(failure(() -> new PlanningProblem(List.of(toyModel()), cluster, Workload.of(traffic("other")),
                PlanObjective.MAX_THROUGHPUT, 1)).contains("model 'toy' has no traffic in the workload"));
        assertTrue(failure(() -> new PlanningProblem(List.of(toyModel()), cluster,
                Workload.of(traffic("toy"), traffic("other")), PlanObjective.MAX_THROUGHPUT, 1))
                .contains("traffic for unknown model 'other'"));
        assertTrue(failure(() -> new PlanningProblem(List.of(toyModel(), toyModel()), cluster,
                Workload.of(traffic("toy")), PlanObjective.MAX_THROUGHPUT, 1)).contains("more than one model named"));
        assertTrue(failure(() -> new PlanningProblem(List.of(toyModel()), cluster, Workload.of(traffic("toy")),
                PlanObjective.MIN_COST, 0)).contains("maxCostPerHour must be > 0"));
        PlanningProblem p = PlannerFixtures.problem(cluster);
        assertEquals(Double.POSITIVE_INFINITY, p.maxCostPerHour());
        assertTrue(p.withCluster(Cluster.of(gpu("h"))).cluster().contains("h"));
    }
}
