package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;

import java.util.List;

/**
 * What the scheduler sees at the start of a step: the sequences in each phase, the KV budget and the step's
 * limits. The lists are snapshots, ordered by arrival, and valid only during
 * {@link Scheduler#schedule(SchedulerView)}.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface SchedulerView {

    /** {@return the engine's monotonic clock, in nanoseconds} */
    long nowNanos();

    /** {@return sequences admitted but holding no KV} */
    List<SequenceState> waiting();

    /** {@return sequences holding device KV} */
    List<SequenceState> running();

    /** {@return sequences whose KV sits in the host pool} */
    List<SequenceState> swapped();

    /** {@return the KV memory available} */
    KvBudget kv();

    /** {@return the step's token and sequence bounds} */
    StepLimits limits();

    /**
     * Whether the instance is draining (a preemption notice or shutdown): admit nothing new; finish or
     * {@link StepPlan#migrations() migrate} what runs.
     *
     * @return whether the instance is draining
     */
    boolean draining();
}
