package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.time.InstantSource;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * What the runtime hands a planner factory: a clock and a seed, so that planners which keep a history
 * (Parcae's availability forecast) or sample (Monte-Carlo migration costs) are deterministic in tests.
 * Solvers are not part of the SPI: a planner that needs an LP or MILP solver brings its own.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface PlannerContext {

    /**
     * The time source to stamp and age observations with; a fixed or virtual clock in tests. Never null.
     *
     * @return the clock
     */
    InstantSource clock();

    /** {@return the seed for any randomness the planner uses; the same seed must give the same plans} */
    long seed();

    /**
     * A new generator seeded with {@link #seed()}. Each call starts the same sequence again, so a planner
     * that wants one stream for its lifetime calls this once, at creation.
     *
     * @return a generator at the start of the seed's sequence
     */
    default RandomGenerator newRandom() {
        return new SplittableRandom(seed());
    }

    /**
     * A context with the given clock and seed, for tests and for tools that run planners outside the runtime.
     *
     * @param clock not null
     * @param seed  the seed
     * @return the context
     */
    static PlannerContext of(InstantSource clock, long seed) {
        return new FixedPlannerContext(clock, seed);
    }
}
