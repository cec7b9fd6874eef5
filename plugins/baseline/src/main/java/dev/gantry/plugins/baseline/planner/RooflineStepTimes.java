package dev.gantry.plugins.baseline.planner;

import dev.gantry.spi.planner.DeviceSpec;
import dev.gantry.spi.planner.InfeasiblePlanException;
import dev.gantry.spi.planner.InstancePlan;
import dev.gantry.spi.planner.LayerCost;
import dev.gantry.spi.planner.Link;
import dev.gantry.spi.planner.ModelDescription;
import dev.gantry.spi.planner.PlanningProblem;
import dev.gantry.spi.planner.StageAssignment;

import java.util.ArrayList;
import java.util.List;

/**
 * Step times of one instance by the roofline model: each stage takes as long as the slower of reading its
 * bytes and doing its FLOPs on its slowest device, plus its tensor-parallel all-reduces; stages run one after
 * another with a hop between them (no micro-batching). The formulas are on {@link RooflinePlanEvaluator}.
 */
final class RooflineStepTimes {

    /** A stage, reduced to the numbers the formulas need. */
    private record Stage(LayerCost cost, int devices, int tensorParallel, int layers, double bandwidth,
                         double flopsPerSecond, Link ring, Link hopToNext) {
    }

    private final List<Stage> stages = new ArrayList<>();
    private final double computeShare;
    private final long hiddenBytesPerToken;

    RooflineStepTimes(PlanningProblem problem, InstancePlan instance) {
        ModelDescription model = problem.model(instance.model()).orElseThrow();
        this.computeShare = instance.computeShare();
        this.hiddenBytesPerToken = model.activationBytesPerToken();
        List<StageAssignment> assigned = instance.stages();
        for (int k = 0; k < assigned.size(); k++) {
            StageAssignment s = assigned.get(k);
            double bandwidth = Double.POSITIVE_INFINITY;
            double flops = Double.POSITIVE_INFINITY;
            for (String id : s.deviceIds()) {
                DeviceSpec d = problem.cluster().device(id).orElseThrow();
                bandwidth = Math.min(bandwidth, d.memoryBandwidthBytesPerSecond());
                flops = Math.min(flops, d.flopsPerSecond());
            }
            Link hop = k + 1 < assigned.size()
                    ? link(problem, instance, s.deviceIds().getFirst(), assigned.get(k + 1).deviceIds().getFirst())
                    : null;
            stages.add(new Stage(model.costOf(s.slice()), s.deviceIds().size(), s.tensorParallel(), s.slice().size(),
                    bandwidth, flops, slowestRingLink(problem, instance, s), hop));
        }
    }

    /** Seconds of one decode step of {@code batch} sequences with {@code context} tokens of KV each. */
    double decodeSeconds(double batch, double context) {
        double total = 0;
        for (Stage s : stages) {
            double bytes = (double) s.cost.parameterBytes() / s.tensorParallel
                    + batch * context * s.cost.kvBytesPerToken() / s.devices;
            double flops = batch * s.cost.flopsPerToken() / s.devices;
            total += roofline(s, bytes, flops) + allReduceSeconds(s, batch) + hopSeconds(s, batch);
        }
        return total;
    }

    /** Seconds to prefill one prompt of {@code tokens} tokens. */
    double prefillSeconds(double tokens) {
        double total = 0;
        for (Stage s : stages) {
            double bytes = (double) s.cost.parameterBytes() / s.tensorParallel
                    + tokens * s.cost.kvBytesPerToken() / s.devices;
            double flops = tokens * s.cost.flopsPerToken() / s.devices;
            total += roofline(s, bytes, flops) + allReduceSeconds(s, tokens) + hopSeconds(s, tokens);
        }
        return total;
    }

    private double roofline(Stage s, double bytesPerDevice, double flopsPerDevice) {
        return Math.max(bytesPerDevice / s.bandwidth, flopsPerDevice / s.flopsPerSecond) / computeShare;
    }

    /** Two ring all-reduces of the hidden state per layer (after attention and after the feed-forward). */
    private double allReduceSeconds(Stage s, double tokens) {
        int t = s.tensorParallel;
        if (t == 1) {
            return 0;
        }
        double perLane = tokens * t / s.devices;
        double once = 2.0 * (t - 1) / t * perLane * hiddenBytesPerToken / s.ring.bandwidthBytesPerSecond()
                + 2.0 * (t - 1) * s.ring.latencySeconds();
        return 2.0 * s.layers * once;
    }

    private static double hopSeconds(Stage s, double tokens) {
        return s.hopToNext == null ? 0 : s.hopToNext.transferSeconds(tokens * s.cost.activationBytesPerToken());
    }

    /** The slowest link of the rings that join each lane's tensor-parallel devices; null without tensor parallelism. */
    private static Link slowestRingLink(PlanningProblem problem, InstancePlan instance, StageAssignment s) {
        int t = s.tensorParallel();
        if (t == 1) {
            return null;
        }
        double bandwidth = Double.POSITIVE_INFINITY;
        double latency = 0;
        List<String> ids = s.deviceIds();
        for (int lane = 0; lane < s.lanes(); lane++) {
            for (int r = 0; r < t; r++) {
                Link l = link(problem, instance, ids.get(lane * t + r), ids.get(lane * t + (r + 1) % t));
                bandwidth = Math.min(bandwidth, l.bandwidthBytesPerSecond());
                latency = Math.max(latency, l.latencySeconds());
            }
        }
        // A ring all-reduce runs at the pace of its slowest hop: one link's figures stand for the ring.
        return new Link(ids.get(0), ids.get(1), bandwidth, latency);
    }

    private static Link link(PlanningProblem problem, InstancePlan instance, String a, String b) {
        return problem.cluster().link(a, b).orElseThrow(() -> new InfeasiblePlanException("instance '"
                + instance.id() + "' needs devices '" + a + "' and '" + b + "' to exchange activations, but the "
                + "cluster has no link between them"));
    }
}
