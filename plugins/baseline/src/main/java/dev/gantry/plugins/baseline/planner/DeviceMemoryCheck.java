package dev.gantry.plugins.baseline.planner;

import dev.gantry.spi.planner.DeviceSpec;
import dev.gantry.spi.planner.InfeasiblePlanException;
import dev.gantry.spi.planner.InstancePlan;
import dev.gantry.spi.planner.LayerCost;
import dev.gantry.spi.planner.ModelDescription;
import dev.gantry.spi.planner.Plan;
import dev.gantry.spi.planner.PlanningProblem;
import dev.gantry.spi.planner.StageAssignment;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Refuses plans whose devices would hold more than their memory. Each device of a stage holds its tensor
 * shard of the stage's weights ({@code W / tensorParallel}) and its part of the instance's KV quota
 * ({@code kvCapacityTokens × K / devices}); devices shared by several instances (colocation) hold the sum.
 * Activation workspace is not counted.
 */
final class DeviceMemoryCheck {

    private DeviceMemoryCheck() {
    }

    static void check(PlanningProblem problem, Plan plan) {
        Map<String, Double> weights = new LinkedHashMap<>();
        Map<String, Double> kv = new LinkedHashMap<>();
        for (InstancePlan i : plan.instances()) {
            ModelDescription model = problem.model(i.model()).orElseThrow();
            for (StageAssignment s : i.stages()) {
                LayerCost cost = model.costOf(s.slice());
                for (String d : s.deviceIds()) {
                    weights.merge(d, (double) cost.parameterBytes() / s.tensorParallel(), Double::sum);
                    kv.merge(d, (double) i.kvCapacityTokens() * cost.kvBytesPerToken() / s.deviceIds().size(),
                            Double::sum);
                }
            }
        }
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            DeviceSpec device = problem.cluster().device(e.getKey()).orElseThrow();
            double w = e.getValue();
            double k = kv.get(e.getKey());
            if (w + k > device.memoryBytes()) {
                throw new InfeasiblePlanException(String.format(Locale.ROOT,
                        "device '%s' (%s) would hold %s of weights and %s of KV cache, %s in all, but has %s",
                        device.id(), device.kind(), gib(w), gib(k), gib(w + k), gib(device.memoryBytes())));
            }
        }
    }

    static String gib(double bytes) {
        return String.format(Locale.ROOT, "%.2f GiB (%.0f bytes)", bytes / (1L << 30), bytes);
    }
}
