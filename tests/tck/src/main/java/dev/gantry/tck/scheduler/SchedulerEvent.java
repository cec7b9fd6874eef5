package dev.gantry.tck.scheduler;

import dev.gantry.spi.SequenceId;
import dev.gantry.spi.scheduler.PreemptionMode;

/**
 * What the kit saw a scheduler decide, step by step. Steps count {@code schedule} calls from 1.
 */
public sealed interface SchedulerEvent {

    /** The step in which it happened. */
    long step();

    /** The sequence concerned. */
    SequenceId sequence();

    /**
     * A waiting sequence was given work for the first time.
     *
     * @param step     the step
     * @param sequence the sequence
     * @param priority its priority
     */
    record Admitted(long step, SequenceId sequence, int priority) implements SchedulerEvent {
    }

    /**
     * A sequence was given work.
     *
     * @param step     the step
     * @param sequence the sequence
     * @param tokens   tokens scheduled for it
     */
    record Scheduled(long step, SequenceId sequence, int tokens) implements SchedulerEvent {
    }

    /**
     * A running sequence was preempted.
     *
     * @param step     the step
     * @param sequence the sequence
     * @param mode     how
     */
    record Preempted(long step, SequenceId sequence, PreemptionMode mode) implements SchedulerEvent {
    }

    /**
     * A preempted sequence was given work again.
     *
     * @param step     the step
     * @param sequence the sequence
     */
    record Resumed(long step, SequenceId sequence) implements SchedulerEvent {
    }

    /**
     * The engine told the scheduler the sequence left ({@code onFinished}).
     *
     * @param step     the last step planned before it
     * @param sequence the sequence
     */
    record Finished(long step, SequenceId sequence) implements SchedulerEvent {
    }
}
