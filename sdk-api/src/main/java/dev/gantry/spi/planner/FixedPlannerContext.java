package dev.gantry.spi.planner;

import java.time.InstantSource;
import java.util.Objects;

/** The plain {@link PlannerContext} behind {@link PlannerContext#of}. */
record FixedPlannerContext(InstantSource clock, long seed) implements PlannerContext {

    FixedPlannerContext {
        Objects.requireNonNull(clock, "clock");
    }
}
