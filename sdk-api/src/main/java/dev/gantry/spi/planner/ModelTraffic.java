package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.util.Objects;

/**
 * The requests one model receives. Arrivals form a renewal process with Gamma-distributed gaps of the given
 * coefficient of variation (1 is Poisson; AlpaServe and SpotServe study bursty traffic with CV up to 8).
 *
 * @param model             the {@link ModelDescription#name()} the requests are for; not blank
 * @param requestsPerSecond mean arrival rate, requests per second; &gt; 0; {@link Double#POSITIVE_INFINITY}
 *                          asks for the plan's capacity (every instance saturated)
 * @param arrivalCv         coefficient of variation of the gaps between arrivals; finite, ≥ 0 (0 is evenly
 *                          spaced)
 * @param inputTokens       prompt lengths; not null
 * @param outputTokens      generated lengths; not null
 * @param slo               the latency bounds requests should meet; not null ({@link Slo#NONE} for none)
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record ModelTraffic(String model, double requestsPerSecond, double arrivalCv,
                           LengthDistribution inputTokens, LengthDistribution outputTokens, Slo slo) {

    /**
     * Checks the traffic.
     *
     * @throws IllegalArgumentException naming the model and the figure at fault
     */
    public ModelTraffic {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("traffic: model name must not be blank");
        }
        String t = "traffic for model '" + model + "': ";
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException(t + "requestsPerSecond must be > 0 (infinite asks for capacity), got "
                    + requestsPerSecond);
        }
        if (!(arrivalCv >= 0) || Double.isInfinite(arrivalCv)) {
            throw new IllegalArgumentException(t + "arrivalCv must be finite and ≥ 0, got " + arrivalCv);
        }
        Objects.requireNonNull(inputTokens, t + "inputTokens");
        Objects.requireNonNull(outputTokens, t + "outputTokens");
        Objects.requireNonNull(slo, t + "slo");
    }

    /**
     * Poisson arrivals at {@code requestsPerSecond}.
     *
     * @param model             the model the requests are for; not blank
     * @param requestsPerSecond mean arrival rate; > 0
     * @param inputTokens       prompt lengths; not null
     * @param outputTokens      generated lengths; not null
     * @param slo               latency bounds; not null
     * @return the traffic
     */
    public static ModelTraffic poisson(String model, double requestsPerSecond, LengthDistribution inputTokens,
                                       LengthDistribution outputTokens, Slo slo) {
        return new ModelTraffic(model, requestsPerSecond, 1.0, inputTokens, outputTokens, slo);
    }
}
