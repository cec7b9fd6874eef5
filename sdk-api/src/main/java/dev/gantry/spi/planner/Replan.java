package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.util.Objects;

/**
 * A planner's answer to a change: the plan to run now and the migration from the one that was running.
 *
 * @param plan      the new plan, evaluated; not null
 * @param migration how to get there from the current plan; not null ({@link Migration#NONE} when nothing
 *                  changes)
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record Replan(Plan plan, Migration migration) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException when either is null
     */
    public Replan {
        Objects.requireNonNull(plan, "replan: plan");
        Objects.requireNonNull(migration, "replan: migration (use Migration.NONE)");
    }
}
