package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The traffic a plan must serve, per model. Several entries describe multi-model serving (AlpaServe,
 * MuxServe), where each model's share of the traffic drives how many replicas and how much of the devices
 * it gets.
 *
 * @param traffic one entry per model; not empty, models unique
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record Workload(List<ModelTraffic> traffic) {

    /**
     * Copies the traffic and checks it.
     *
     * @throws IllegalArgumentException for no traffic or two entries for one model
     */
    public Workload {
        traffic = List.copyOf(traffic);
        if (traffic.isEmpty()) {
            throw new IllegalArgumentException("workload: needs traffic for at least one model");
        }
        Set<String> models = new HashSet<>();
        for (ModelTraffic t : traffic) {
            if (!models.add(t.model())) {
                throw new IllegalArgumentException("workload: more than one traffic entry for model '" + t.model()
                        + "'");
            }
        }
    }

    /**
     * A workload of one model.
     *
     * @param traffic the traffic of each model
     * @return the workload
     */
    public static Workload of(ModelTraffic... traffic) {
        return new Workload(List.of(traffic));
    }

    /**
     * The traffic for {@code model}, if the workload has any.
     *
     * @param model the model name
     * @return its traffic, or empty
     */
    public Optional<ModelTraffic> forModel(String model) {
        return traffic.stream().filter(t -> t.model().equals(model)).findFirst();
    }

    /** {@return requests per second over all models; infinite when any model asks for capacity} */
    public double totalRequestsPerSecond() {
        return traffic.stream().mapToDouble(ModelTraffic::requestsPerSecond).sum();
    }

    /**
     * The fraction of all requests that are for {@code model}, in [0, 1]; 0 for a model without traffic.
     * When some rates are infinite, those models share the traffic evenly and the others get 0.
     *
     * @param model the model name
     * @return the fraction
     */
    public double share(String model) {
        long infinite = traffic.stream().filter(t -> Double.isInfinite(t.requestsPerSecond())).count();
        return forModel(model).map(t -> infinite > 0
                ? (Double.isInfinite(t.requestsPerSecond()) ? 1.0 / infinite : 0.0)
                : t.requestsPerSecond() / totalRequestsPerSecond()).orElse(0.0);
    }
}
