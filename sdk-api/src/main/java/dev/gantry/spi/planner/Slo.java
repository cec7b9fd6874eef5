package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

/**
 * The latency a request must see to count as served well. A bound of {@link Double#POSITIVE_INFINITY} means
 * none.
 *
 * @param ttftSeconds time to first token, from arrival, in seconds; &gt; 0
 * @param tpotSeconds time per output token after the first, in seconds; &gt; 0
 * @param e2eSeconds  end-to-end latency from arrival to the last token, in seconds; &gt; 0
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record Slo(double ttftSeconds, double tpotSeconds, double e2eSeconds) {

    /** No latency bound at all. */
    public static final Slo NONE = new Slo(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.POSITIVE_INFINITY);

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException for a bound that is not positive
     */
    public Slo {
        if (!(ttftSeconds > 0) || !(tpotSeconds > 0) || !(e2eSeconds > 0)) {
            throw new IllegalArgumentException("SLO bounds must be > 0 seconds (infinite for none), got ttft "
                    + ttftSeconds + ", tpot " + tpotSeconds + ", e2e " + e2eSeconds);
        }
    }

    /**
     * Bounds on time to first token and time per output token, none end to end.
     *
     * @param ttftSeconds time to first token, in seconds; > 0
     * @param tpotSeconds time per output token, in seconds; > 0
     * @return the objective
     */
    public static Slo of(double ttftSeconds, double tpotSeconds) {
        return new Slo(ttftSeconds, tpotSeconds, Double.POSITIVE_INFINITY);
    }
}
