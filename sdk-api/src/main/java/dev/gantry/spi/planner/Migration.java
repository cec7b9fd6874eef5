package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.util.List;

/**
 * How to get from the current plan to a new one: which device takes over which position, and from where its
 * bytes come. SpotServe builds it from a Kuhn–Munkres matching of surviving devices to new positions that
 * maximises the state kept in place, which for a fixed new plan is the same as minimising
 * {@link #movedBytes()}, the matching's cost; {@link #positional} builds the trivial one.
 *
 * @param steps            the transfers, in the order the planner wants them started (SpotServe: front
 *                         stages first, so they can resume early)
 * @param reusedBytes      weight and KV bytes that stay where they are; ≥ 0
 * @param estimatedSeconds how long the migration takes until every instance can serve, in seconds; NaN when
 *                         unknown (for instance when weights come from storage, whose speed the cluster does
 *                         not describe); ≥ 0
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record Migration(List<MigrationStep> steps, long reusedBytes, double estimatedSeconds) {

    /** Nothing moves: the plan did not change. */
    public static final Migration NONE = new Migration(List.of(), 0, 0);

    /**
     * Copies the steps and checks the figures.
     *
     * @throws IllegalArgumentException for negative bytes or seconds, or infinite seconds
     */
    public Migration {
        steps = List.copyOf(steps);
        if (reusedBytes < 0) {
            throw new IllegalArgumentException("migration: reusedBytes must be ≥ 0, got " + reusedBytes);
        }
        if (estimatedSeconds < 0 || Double.isInfinite(estimatedSeconds)) {
            throw new IllegalArgumentException("migration: estimatedSeconds must be NaN or finite and ≥ 0, got "
                    + estimatedSeconds);
        }
    }

    /** {@return bytes the steps move: the cost a device matching minimises} */
    public long movedBytes() {
        return steps.stream().mapToLong(MigrationStep::bytes).sum();
    }

    /** {@return whether nothing moves} */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * The trivial migration between two plans, by position, with no matching. A device needs no step where
     * the current plan already has it holding the same tensor shard of the same slice of the same model; every
     * other (instance, stage, position) of {@code next} is a step. Its previous device is whatever held that
     * position in {@code current}; its source is that device if it held the same shard and is still in the
     * cluster, else any surviving device that held the same shard, else storage. KV is never moved: requests
     * on moved stages recompute it. {@linkplain Migration#estimatedSeconds() Seconds} are the slowest
     * receiving device's sum of link transfer times, NaN when some weights come from storage.
     *
     * @param problem the problem {@code next} was planned for (its cluster is the one after the change)
     * @param current the plan now running; may name devices that are gone
     * @param next    the new plan
     * @return the migration; never null
     * @throws IllegalArgumentException when {@code next} does not fit the problem ({@link Plan#checkAgainst})
     */
    public static Migration positional(PlanningProblem problem, Plan current, Plan next) {
        return PositionalMigration.between(problem, current, next);
    }
}
