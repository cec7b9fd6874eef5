package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;
import dev.gantry.spi.SequenceId;

import java.util.List;

/**
 * The scheduler's decision for one step: data, not callbacks. The engine applies preemptions first, then
 * migrations, then runs the work as one batch. It validates the plan: work over the token or sequence limit,
 * a sequence both run and preempted, or work that needs more blocks than are free is refused with an error
 * naming the scheduler and the problem.
 *
 * @param work        sequences to run and how many tokens each
 * @param preemptions running sequences that give up their blocks, and how
 * @param migrations  sequences to checkpoint and hand to another instance (SpotServe's grace-period
 *                    recovery); they leave this engine
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record StepPlan(List<ScheduledWork> work, List<Preemption> preemptions, List<SequenceId> migrations) {

    /** A step that does nothing. */
    public static final StepPlan IDLE = new StepPlan(List.of(), List.of(), List.of());

    /** Copies the lists. */
    public StepPlan {
        work = List.copyOf(work);
        preemptions = List.copyOf(preemptions);
        migrations = List.copyOf(migrations);
    }

    /**
     * A plan with work only.
     *
     * @param work the sequences to run
     * @return the plan
     */
    public static StepPlan of(List<ScheduledWork> work) {
        return new StepPlan(work, List.of(), List.of());
    }

    /** {@return tokens the step processes} */
    public int totalTokens() {
        return work.stream().mapToInt(ScheduledWork::tokens).sum();
    }

    /** {@return whether the plan asks for nothing} */
    public boolean isIdle() {
        return work.isEmpty() && preemptions.isEmpty() && migrations.isEmpty();
    }
}
