package dev.gantry.tck.planner;

import dev.gantry.spi.planner.Cluster;
import dev.gantry.spi.planner.DeviceSpec;
import dev.gantry.spi.planner.InstancePlan;
import dev.gantry.spi.planner.LayerCost;
import dev.gantry.spi.planner.Migration;
import dev.gantry.spi.planner.MigrationStep;
import dev.gantry.spi.planner.ModelDescription;
import dev.gantry.spi.planner.Plan;
import dev.gantry.spi.planner.PlanningProblem;
import dev.gantry.spi.planner.StageAssignment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What every plan must satisfy, whoever made it, checked independently of any evaluator:
 * <ul>
 *   <li>its shape fits the problem ({@link Plan#checkAgainst});</li>
 *   <li>device memory: each device holds its tensor shard of each stage's weights ({@code W / tensorParallel})
 *       and its share of each instance's KV quota ({@code kvCapacityTokens × K / devices in the stage}), summed
 *       over the instances that share it, within its memory;</li>
 *   <li>budget: the devices used cost at most {@code maxCostPerHour};</li>
 *   <li>links: devices of one stage, and of consecutive stages of a pipeline, are linked.</li>
 * </ul>
 */
final class PlanChecks {

    private PlanChecks() {
    }

    /** Every problem found with {@code plan}, described; empty when it is valid. */
    static List<String> problems(PlanningProblem problem, Plan plan) {
        List<String> found = new ArrayList<>();
        try {
            plan.checkAgainst(problem);
        } catch (IllegalArgumentException e) {
            found.add("the plan does not fit the problem: " + e.getMessage());
            return found;
        }
        Cluster cluster = problem.cluster();
        Map<String, Double> held = new LinkedHashMap<>();
        for (InstancePlan i : plan.instances()) {
            ModelDescription model = problem.model(i.model()).orElseThrow();
            List<StageAssignment> stages = i.stages();
            for (int k = 0; k < stages.size(); k++) {
                StageAssignment s = stages.get(k);
                LayerCost cost = model.costOf(s.slice());
                for (String d : s.deviceIds()) {
                    held.merge(d, (double) cost.parameterBytes() / s.tensorParallel()
                            + (double) i.kvCapacityTokens() * cost.kvBytesPerToken() / s.deviceIds().size(),
                            Double::sum);
                }
                linked(cluster, s.deviceIds(), s.deviceIds(), "within stage " + k + " of instance '" + i.id() + "'",
                        found);
                if (i.pipelineParallel() == stages.size() && k + 1 < stages.size()) {
                    linked(cluster, s.deviceIds(), stages.get(k + 1).deviceIds(), "between stages " + k + " and "
                            + (k + 1) + " of instance '" + i.id() + "'", found);
                }
            }
        }
        held.forEach((id, bytes) -> {
            DeviceSpec d = cluster.device(id).orElseThrow();
            if (bytes > d.memoryBytes()) {
                found.add(String.format(Locale.ROOT, "device '%s' would hold %.3g bytes of weights and KV cache "
                        + "but has %d", id, bytes, d.memoryBytes()));
            }
        });
        double cost = plan.deviceIds().stream().mapToDouble(id -> cluster.device(id).orElseThrow().pricePerHour())
                .sum();
        if (cost > problem.maxCostPerHour() * (1 + 1e-9)) {
            found.add(String.format(Locale.ROOT, "its devices cost %.4f per hour, over the budget of %.4f", cost,
                    problem.maxCostPerHour()));
        }
        return found;
    }

    private static void linked(Cluster cluster, List<String> a, List<String> b, String where, List<String> found) {
        for (String x : a) {
            for (String y : b) {
                if (!x.equals(y) && cluster.link(x, y).isEmpty()) {
                    found.add("devices '" + x + "' and '" + y + "' have no link but work together " + where);
                    return;
                }
            }
        }
    }

    /**
     * Every problem found with a migration from {@code current} to {@code next} on the problem after the change
     * ({@code lost} are the devices that went away).
     */
    static List<String> migrationProblems(PlanningProblem after, Plan current, Plan next, Migration migration,
                                          Set<String> lost) {
        List<String> found = new ArrayList<>();
        Set<String> before = new HashSet<>(current.deviceIds());
        Set<String> targeted = new HashSet<>();
        for (MigrationStep step : migration.steps()) {
            String s = "migration step to '" + step.toDevice() + "' (instance '" + step.instanceId() + "' stage "
                    + step.stageIndex() + " position " + step.position() + ")";
            InstancePlan instance = next.instance(step.instanceId()).orElse(null);
            if (instance == null || step.stageIndex() >= instance.stages().size()) {
                found.add(s + " names no stage of the new plan");
                continue;
            }
            StageAssignment stage = instance.stages().get(step.stageIndex());
            if (step.position() >= stage.deviceIds().size()
                    || !stage.deviceIds().get(step.position()).equals(step.toDevice())) {
                found.add(s + ": the new plan has another device at that position");
            }
            if (!stage.slice().equals(step.slice())) {
                found.add(s + ": moves " + step.slice() + " but the stage holds " + stage.slice());
            }
            step.sourceDevice().ifPresent(src -> {
                if (lost.contains(src) || !after.cluster().contains(src)) {
                    found.add(s + " copies from '" + src + "', which is gone");
                }
            });
            targeted.add(step.toDevice());
        }
        for (String d : next.deviceIds()) {
            if (!before.contains(d) && !targeted.contains(d)) {
                found.add("device '" + d + "' joins the plan but no migration step loads it");
            }
        }
        return found;
    }
}
