package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

/**
 * What an evaluator predicts for a plan under the problem's workload. A figure the evaluator cannot predict
 * is {@link Double#NaN}; latencies are {@link Double#POSITIVE_INFINITY} when queues grow without bound
 * (the offered traffic exceeds the plan's capacity).
 *
 * @param tokensPerSecond        generated (output) tokens per second over all instances; NaN or ≥ 0, finite
 * @param requestsPerSecond      requests completed per second; NaN or ≥ 0, finite
 * @param ttftP50Seconds         median time to first token, queueing included, in seconds; NaN or ≥ 0
 * @param ttftP99Seconds         99th-percentile time to first token, in seconds; NaN or ≥ the median
 * @param tpotP50Seconds         median time per output token after the first, in seconds; NaN or ≥ 0
 * @param tpotP99Seconds         99th-percentile time per output token, in seconds; NaN or ≥ the median
 * @param costPerHour            what the plan's devices cost per hour; NaN or ≥ 0, finite
 * @param sloAttainment          fraction of offered requests that meet their SLO; NaN or in [0, 1]
 * @param liveputTokensPerSecond expected generated tokens per second when preemptions are accounted for
 *                               (Parcae's liveput); NaN or ≥ 0, finite
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record PlanPrediction(double tokensPerSecond, double requestsPerSecond, double ttftP50Seconds,
                             double ttftP99Seconds, double tpotP50Seconds, double tpotP99Seconds,
                             double costPerHour, double sloAttainment,
                             @Api(status = Api.Status.EXPERIMENTAL, since = "0.1") double liveputTokensPerSecond) {

    /** Nothing predicted: what a plan carries before an evaluator has seen it. */
    public static final PlanPrediction UNKNOWN = new PlanPrediction(Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /**
     * Checks the figures.
     *
     * @throws IllegalArgumentException for a negative or infinite figure, an attainment outside [0, 1] or a p99
     *                                   below its p50
     */
    public PlanPrediction {
        finiteOrNaN("tokensPerSecond", tokensPerSecond);
        finiteOrNaN("requestsPerSecond", requestsPerSecond);
        finiteOrNaN("costPerHour", costPerHour);
        finiteOrNaN("liveputTokensPerSecond", liveputTokensPerSecond);
        percentiles("ttft", ttftP50Seconds, ttftP99Seconds);
        percentiles("tpot", tpotP50Seconds, tpotP99Seconds);
        if (sloAttainment < 0 || sloAttainment > 1) {
            throw new IllegalArgumentException("plan prediction: sloAttainment must be NaN or in [0, 1], got "
                    + sloAttainment);
        }
    }

    private static void finiteOrNaN(String name, double value) {
        if (value < 0 || Double.isInfinite(value)) {
            throw new IllegalArgumentException("plan prediction: " + name + " must be NaN or finite and ≥ 0, got "
                    + value);
        }
    }

    private static void percentiles(String name, double p50, double p99) {
        if (p50 < 0 || p99 < 0) {
            throw new IllegalArgumentException("plan prediction: " + name + " latencies must be NaN or ≥ 0, got p50 "
                    + p50 + ", p99 " + p99);
        }
        if (p99 < p50) {
            throw new IllegalArgumentException("plan prediction: " + name + " p99 " + p99 + " s is below its p50 "
                    + p50 + " s");
        }
    }
}
