package dev.gantry.tck.planner;

import dev.gantry.spi.planner.Cluster;
import dev.gantry.spi.planner.ComputeGraph;
import dev.gantry.spi.planner.DeviceSpec;
import dev.gantry.spi.planner.LayerCost;
import dev.gantry.spi.planner.LengthDistribution;
import dev.gantry.spi.planner.Link;
import dev.gantry.spi.planner.ModelDescription;
import dev.gantry.spi.planner.ModelTraffic;
import dev.gantry.spi.planner.PlanObjective;
import dev.gantry.spi.planner.PlanningProblem;
import dev.gantry.spi.planner.Slo;
import dev.gantry.spi.planner.Workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The planning problems the kit poses, with realistic figures: 7B- and 70B-parameter Llama models in 16-bit
 * weights, A100-80G and L4 devices at list prices, NVLink within a host and a 25 GB/s network between hosts.
 */
public final class PlanningProblems {

    private static final long GB = 1_000_000_000L;

    private PlanningProblems() {
    }

    /** A 7B model: 32 layers, 13.5 GB of weights, 0.5 MiB of KV per token. */
    public static ModelDescription llama7b(String name) {
        return ModelDescription.uniform(name, 32, 13_500_000_000L, 2 * 6.7e9, 2L * 32 * 4096 * 2, 4096 * 2);
    }

    /** A 70B model: 80 layers, 140 GB of weights, grouped-query KV. */
    public static ModelDescription llama70b() {
        return ModelDescription.uniform("llama-70b", 80, 140_000_000_000L, 2 * 70e9, 2L * 80 * 1024 * 2, 8192 * 2);
    }

    /** A four-block model whose middle blocks run side by side: a → (b, c) → d. */
    public static ModelDescription diamond() {
        LayerCost block = new LayerCost(2 * GB, 2e9, 8192, 65536);
        ComputeGraph graph = new ComputeGraph(List.of(new ComputeGraph.Node("a", block), new ComputeGraph.Node("b",
                block), new ComputeGraph.Node("c", block), new ComputeGraph.Node("d", block)),
                List.of(new ComputeGraph.Edge("a", "b"), new ComputeGraph.Edge("a", "c"),
                        new ComputeGraph.Edge("b", "d"), new ComputeGraph.Edge("c", "d")));
        return new ModelDescription("diamond", 4, 9 * GB, 9e9, 4 * 65536, 8192, List.of(), Optional.of(graph));
    }

    static DeviceSpec a100(String id, String host) {
        return DeviceSpec.onDemand(id, "A100-80G", 80 * GB, 312e12, 2.0e12, 4.1).withHost(host);
    }

    static DeviceSpec l4(String id, String host) {
        return DeviceSpec.onDemand(id, "L4", 24 * GB, 121e12, 300e9, 0.8).withHost(host);
    }

    /** Devices with every pair linked: NVLink within a host, the network between hosts. */
    static Cluster linked(DeviceSpec... devices) {
        List<Link> links = new ArrayList<>();
        for (int i = 0; i < devices.length; i++) {
            for (int j = i + 1; j < devices.length; j++) {
                boolean sameHost = devices[i].host().equals(devices[j].host());
                links.add(new Link(devices[i].id(), devices[j].id(), sameHost ? 300e9 : 25e9,
                        sameHost ? 5e-6 : 2e-5));
            }
        }
        return new Cluster(List.of(devices), links);
    }

    /** Chat-like traffic for one model. */
    public static ModelTraffic traffic(String model, double requestsPerSecond) {
        return ModelTraffic.poisson(model, requestsPerSecond, new LengthDistribution(512, 256, 2048),
                new LengthDistribution(256, 128, 1024), Slo.of(2.0, 0.1));
    }

    /** One 7B model on two A100s of one host and an L4 of another. */
    public static PlanningProblem oneModel() {
        return PlanningProblem.of(llama7b("llama-7b"), linked(a100("a100-0", "host-a"), a100("a100-1", "host-a"),
                l4("l4-0", "host-b")), traffic("llama-7b", 2), PlanObjective.MAX_THROUGHPUT);
    }

    /** {@link #oneModel()} with a budget that only the L4 fits. */
    public static PlanningProblem oneModelOnABudget() {
        PlanningProblem p = oneModel();
        return new PlanningProblem(p.models(), p.cluster(), p.workload(), PlanObjective.MIN_COST, 1.0);
    }

    /** The 70B model on four A100s of one host: no single device holds it. */
    public static PlanningProblem modelLargerThanAnyDevice() {
        return PlanningProblem.of(llama70b(), linked(a100("a100-0", "host-a"), a100("a100-1", "host-a"),
                a100("a100-2", "host-a"), a100("a100-3", "host-a")), traffic("llama-70b", 1),
                PlanObjective.MAX_THROUGHPUT);
    }

    /** The 70B model on one L4: nothing can hold it. */
    public static PlanningProblem impossible() {
        return PlanningProblem.of(llama70b(), linked(l4("l4-0", "host-b")), traffic("llama-70b", 1),
                PlanObjective.MAX_THROUGHPUT);
    }

    /** Two 7B models sharing the devices of {@link #oneModel()}. */
    public static PlanningProblem twoModels() {
        PlanningProblem p = oneModel();
        return new PlanningProblem(List.of(llama7b("llama-7b"), llama7b("mistral-7b")), p.cluster(),
                new Workload(List.of(traffic("llama-7b", 2), traffic("mistral-7b", 1))), PlanObjective.MAX_THROUGHPUT,
                Double.POSITIVE_INFINITY);
    }

    /** The diamond-shaped graph model on the devices of {@link #oneModel()}. */
    public static PlanningProblem graphModel() {
        return PlanningProblem.of(diamond(), oneModel().cluster(), traffic("diamond", 2), PlanObjective.MAX_THROUGHPUT);
    }
}
