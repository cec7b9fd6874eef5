package dev.gantry.spi.planner;

import java.util.List;

/** Small problems the planner tests share. */
final class PlannerFixtures {

    private PlannerFixtures() {
    }

    /** A 4-layer model of 1000 weight bytes, 400 KV bytes and 64 hidden bytes per token. */
    static ModelDescription toyModel() {
        return ModelDescription.uniform("toy", 4, 1000, 2000, 400, 64);
    }

    static DeviceSpec gpu(String id) {
        return DeviceSpec.onDemand(id, "test-gpu", 1L << 20, 1e12, 1e11, 1.5);
    }

    static ModelTraffic traffic(String model) {
        return ModelTraffic.poisson(model, 2, LengthDistribution.fixed(10), LengthDistribution.fixed(5), Slo.NONE);
    }

    static PlanningProblem problem(Cluster cluster) {
        return PlanningProblem.of(toyModel(), cluster, traffic("toy"), PlanObjective.MAX_THROUGHPUT);
    }

    /** The toy model whole on one device. */
    static InstancePlan onDevice(String instanceId, String device) {
        return new InstancePlan(instanceId, "toy", 1, 1, 1, List.of(StageAssignment.ofLayers(0, List.of(device), 0, 4)),
                8, 64, 100);
    }
}
