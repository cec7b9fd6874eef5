package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

/**
 * What a planner optimises, read from {@link PlanPrediction}. Every objective respects the problem's budget
 * ({@link PlanningProblem#maxCostPerHour()}).
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public enum PlanObjective {
    /** Most generated tokens per second. */
    MAX_THROUGHPUT,
    /**
     * Lowest latency among plans that keep up with the offered traffic (SpotServe's rule: the minimum
     * latency among configurations whose throughput reaches the arrival rate, else the maximum throughput).
     */
    MIN_LATENCY,
    /** Lowest cost per hour among plans that keep up with the offered traffic within its SLOs. */
    MIN_COST,
    /** Largest fraction of requests meeting their SLOs (AlpaServe's goodput). */
    MAX_SLO_ATTAINMENT,
    /** Most expected throughput under preemption (Parcae's liveput). */
    @Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
    MAX_LIVEPUT
}
