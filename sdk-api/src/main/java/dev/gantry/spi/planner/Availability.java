package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.util.Objects;

/**
 * How long a device can be counted on. Spot (preemptible) devices are taken away at random, as a Poisson
 * process with the given rate, after a notice; planners that weigh plans by expected throughput under
 * preemption (Parcae's liveput) or buy on-demand capacity when spot capacity is short (SpotServe) read it.
 * The actual notices arrive as {@link dev.gantry.spi.ClusterEvent.PreemptionNotice}s.
 *
 * @param kind                 on-demand or spot; not null
 * @param interruptionsPerHour expected interruptions per hour of running (the Poisson rate); 0 for
 *                             on-demand devices; finite, ≥ 0
 * @param noticeSeconds        usual warning before an interruption, in seconds (the grace period SpotServe
 *                             drains within); 0 for on-demand devices; finite, ≥ 0
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record Availability(Kind kind, double interruptionsPerHour, double noticeSeconds) {

    /** A device that is not taken away. */
    public static final Availability ON_DEMAND = new Availability(Kind.ON_DEMAND, 0, 0);

    /**
     * Checks the figures.
     *
     * @throws IllegalArgumentException when a figure is negative or infinite, or an on-demand device has one
     */
    public Availability {
        Objects.requireNonNull(kind, "availability kind");
        if (!(interruptionsPerHour >= 0) || Double.isInfinite(interruptionsPerHour)) {
            throw new IllegalArgumentException("availability: interruptionsPerHour must be finite and ≥ 0, got "
                    + interruptionsPerHour);
        }
        if (!(noticeSeconds >= 0) || Double.isInfinite(noticeSeconds)) {
            throw new IllegalArgumentException("availability: noticeSeconds must be finite and ≥ 0, got "
                    + noticeSeconds);
        }
        if (kind == Kind.ON_DEMAND && (interruptionsPerHour != 0 || noticeSeconds != 0)) {
            throw new IllegalArgumentException("availability: on-demand devices are not interrupted; use SPOT for a "
                    + "rate of " + interruptionsPerHour + " per hour");
        }
    }

    /**
     * A spot device interrupted {@code interruptionsPerHour} times an hour on average, after a notice.
     *
     * @param interruptionsPerHour expected interruptions per hour of running; finite, ≥ 0
     * @param noticeSeconds        usual warning before one, in seconds; finite, ≥ 0
     * @return the availability
     */
    public static Availability spot(double interruptionsPerHour, double noticeSeconds) {
        return new Availability(Kind.SPOT, interruptionsPerHour, noticeSeconds);
    }

    /**
     * The probability that the device runs {@code seconds} without interruption: {@code exp(−rate·t)}.
     *
     * @param seconds how long, in seconds
     * @return the probability, in [0, 1]
     */
    public double survivalProbability(double seconds) {
        return Math.exp(-interruptionsPerHour * seconds / 3600.0);
    }

    /**
     * How a device is bought.
     *
     * @since 0.1
     */
    @Api(status = Api.Status.STABLE, since = "0.1")
    public enum Kind {
        /** Reserved or on-demand: kept until released. */
        ON_DEMAND,
        /** Spot or preemptible: cheaper, taken away with a notice. */
        SPOT
    }
}
