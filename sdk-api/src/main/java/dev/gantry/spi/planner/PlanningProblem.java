package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a planner is asked: which models to serve, on which devices, under which traffic, optimising
 * what, within which budget.
 *
 * @param models         the models to place; not empty, names unique
 * @param cluster        the devices and links available; not null
 * @param workload       the traffic, with an entry for every model and none for unknown ones; not null
 * @param objective      what to optimise; not null
 * @param maxCostPerHour the most the plan's devices may cost per hour, in the currency of
 *                       {@link DeviceSpec#pricePerHour()}; &gt; 0; {@link Double#POSITIVE_INFINITY} for no budget
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record PlanningProblem(List<ModelDescription> models, Cluster cluster, Workload workload,
                              PlanObjective objective, double maxCostPerHour) {

    /**
     * Copies the models and checks the problem.
     *
     * @throws IllegalArgumentException for no models, a repeated name, traffic missing or for an unknown model, or
     *                                   a budget that is not positive
     */
    public PlanningProblem {
        models = List.copyOf(models);
        Objects.requireNonNull(cluster, "planning problem: cluster");
        Objects.requireNonNull(workload, "planning problem: workload");
        Objects.requireNonNull(objective, "planning problem: objective");
        if (models.isEmpty()) {
            throw new IllegalArgumentException("planning problem: needs at least one model");
        }
        Set<String> names = new HashSet<>();
        for (ModelDescription m : models) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("planning problem: more than one model named '" + m.name() + "'");
            }
            if (workload.forModel(m.name()).isEmpty()) {
                throw new IllegalArgumentException("planning problem: model '" + m.name()
                        + "' has no traffic in the workload");
            }
        }
        for (ModelTraffic t : workload.traffic()) {
            if (!names.contains(t.model())) {
                throw new IllegalArgumentException("planning problem: the workload has traffic for unknown model '"
                        + t.model() + "'; models are " + names);
            }
        }
        if (!(maxCostPerHour > 0)) {
            throw new IllegalArgumentException("planning problem: maxCostPerHour must be > 0 (infinite for no budget),"
                    + " got " + maxCostPerHour);
        }
    }

    /**
     * One model with its traffic, no budget.
     *
     * @param model     the model; not null
     * @param cluster   the devices and links; not null
     * @param traffic   the model's traffic; not null
     * @param objective what to optimise; not null
     * @return the problem
     */
    public static PlanningProblem of(ModelDescription model, Cluster cluster, ModelTraffic traffic,
                                     PlanObjective objective) {
        return new PlanningProblem(List.of(model), cluster, Workload.of(traffic), objective,
                Double.POSITIVE_INFINITY);
    }

    /**
     * The model named {@code name}, if the problem has it.
     *
     * @param name the model name
     * @return the model, or empty
     */
    public Optional<ModelDescription> model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * The traffic of model {@code name}; every model of the problem has some.
     *
     * @param name the model name
     * @return its traffic
     * @throws IllegalArgumentException when the problem has no model of that name
     */
    public ModelTraffic trafficOf(String name) {
        return workload.forModel(name).orElseThrow(() -> new IllegalArgumentException(
                "planning problem: no model named '" + name + "'"));
    }

    /**
     * This problem on another cluster: what the runtime hands a planner after devices came or went.
     *
     * @param cluster the cluster after the change; not null
     * @return a new problem
     */
    public PlanningProblem withCluster(Cluster cluster) {
        return new PlanningProblem(models, cluster, workload, objective, maxCostPerHour);
    }
}
