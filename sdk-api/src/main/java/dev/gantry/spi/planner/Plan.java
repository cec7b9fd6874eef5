package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A planner's answer: the serving instances and what the evaluator predicts for them. The runtime starts one
 * engine replica per instance (or, for instances that share devices, one engine serving them together).
 *
 * @param instances  the instances; not empty, ids unique
 * @param prediction the evaluator's prediction for this plan, {@link PlanPrediction#UNKNOWN} before one was
 *                   made; not null
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record Plan(List<InstancePlan> instances, PlanPrediction prediction) {

    /**
     * Copies the instances and checks them.
     *
     * @throws IllegalArgumentException for no instances or a repeated instance id
     */
    public Plan {
        instances = List.copyOf(instances);
        Objects.requireNonNull(prediction, "plan: prediction (use PlanPrediction.UNKNOWN)");
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("plan: needs at least one instance");
        }
        Set<String> ids = new HashSet<>();
        for (InstancePlan i : instances) {
            if (!ids.add(i.id())) {
                throw new IllegalArgumentException("plan: more than one instance with id '" + i.id() + "'");
            }
        }
    }

    /**
     * A plan of these instances, not yet evaluated.
     *
     * @param instances the instances
     * @return the plan, with an unknown prediction
     */
    public static Plan of(InstancePlan... instances) {
        return new Plan(List.of(instances), PlanPrediction.UNKNOWN);
    }

    /**
     * This plan with the evaluator's prediction.
     *
     * @param prediction the evaluator's prediction; not null
     * @return a new plan; this one is unchanged
     */
    public Plan withPrediction(PlanPrediction prediction) {
        return new Plan(instances, prediction);
    }

    /**
     * The instance with this id, if the plan has it.
     *
     * @param id the instance id
     * @return the instance, or empty
     */
    public Optional<InstancePlan> instance(String id) {
        return instances.stream().filter(i -> i.id().equals(id)).findFirst();
    }

    /** {@return every device the plan uses, each once, in instance order} */
    public List<String> deviceIds() {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        instances.forEach(i -> ids.addAll(i.deviceIds()));
        return List.copyOf(ids);
    }

    /**
     * Checks that the plan fits the problem's shape: every instance serves a model of the problem, every
     * device is in the cluster, every stage names layers or graph nodes the model has, and every layer of the
     * model is held by some stage of each instance. Whether it fits in memory is the evaluator's question.
     * Evaluators call this first; the TCK calls it on every plan a planner returns.
     *
     * @param problem the problem the plan is for
     * @throws IllegalArgumentException naming the instance, stage, device or layer at fault
     */
    public void checkAgainst(PlanningProblem problem) {
        for (InstancePlan i : instances) {
            ModelDescription model = problem.model(i.model()).orElseThrow(() -> new IllegalArgumentException(
                    "instance '" + i.id() + "' serves model '" + i.model() + "', which the problem does not have"));
            BitSet held = new BitSet(model.layers());
            for (StageAssignment s : i.stages()) {
                for (String d : s.deviceIds()) {
                    if (!problem.cluster().contains(d)) {
                        throw new IllegalArgumentException("instance '" + i.id() + "' stage " + s.index()
                                + " uses device '" + d + "', which is not in the cluster");
                    }
                }
                try {
                    held.or(SliceCost.layersOf(model, s.slice()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("instance '" + i.id() + "' stage " + s.index() + ": "
                            + e.getMessage(), e);
                }
            }
            int missing = held.nextClearBit(0);
            if (missing < model.layers()) {
                throw new IllegalArgumentException("instance '" + i.id() + "' has no stage holding layer " + missing
                        + " of model '" + model.name() + "' (" + model.layers() + " layers)");
            }
        }
    }
}
