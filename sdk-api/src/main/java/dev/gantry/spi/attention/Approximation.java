package dev.gantry.spi.attention;

import dev.gantry.spi.Api;

/**
 * What an attention backend declares about its accuracy. The TCK holds a backend to it: an exact backend
 * must match dense attention within floating-point tolerance; an approximate one must stay within its
 * declared bound on the kit's workloads.
 *
 * @param exact                whether the result equals dense softmax attention up to rounding
 * @param maxRelativeError     for approximate backends, the declared bound on
 *                             {@code ||out − dense|| / ||dense||} per query and head; 0 when exact
 * @param description          how the approximation works, in one sentence (empty when exact)
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record Approximation(boolean exact, double maxRelativeError, String description) {

    /** An exact backend. */
    public static final Approximation EXACT = new Approximation(true, 0, "");

    /**
     * Checks the bound.
     *
     * @throws IllegalArgumentException when the bound is negative, or not 0 for an exact backend
     */
    public Approximation {
        if (maxRelativeError < 0 || (exact && maxRelativeError != 0)) {
            throw new IllegalArgumentException("invalid approximation bound " + maxRelativeError);
        }
    }

    /**
     * An approximate backend with a declared error bound.
     *
     * @param maxRelativeError the bound on the relative error per query and head; > 0
     * @param description      how the approximation works, in one sentence
     * @return the declaration
     */
    public static Approximation bounded(double maxRelativeError, String description) {
        return new Approximation(false, maxRelativeError, description);
    }
}
