package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;
import dev.gantry.spi.ClusterEvent;
import dev.gantry.spi.SequenceId;

import java.util.EnumSet;
import java.util.Set;

/**
 * Decides, every step, which sequences run and how many tokens each processes, which give up KV blocks and
 * how, and which leave the instance — iteration-level scheduling (continuous batching).
 *
 * <p>How the papers map onto it: the baseline's FCFS scheduler admits in arrival order and chunks prefill
 * under the token budget, preempting the newest by recompute (vLLM's default); FastServe keeps skip-join
 * multi-level feedback queues keyed by the first-iteration time, preempts at token granularity through the
 * plan, and swaps proactively with {@link PreemptionMode#SWAP}; FlexLLM fills the budget left by inference
 * SLOs with {@link WorkKind#FINETUNE} tokens; LoongServe sets {@link ScheduledWork#parallelDegree()} per
 * request from its elastic-sequence-parallel batching DP; MuxServe schedules the {@link SequenceState#model()
 * models} sharing the process round-robin with per-model KV quotas; SpotServe, on a
 * {@link ClusterEvent.PreemptionNotice}, drains and lists in {@link StepPlan#migrations()} what cannot finish
 * within the grace period.
 *
 * <p>Threading: the engine calls every method from its single loop thread, in the order
 * {@code schedule → (step runs) → onStepCompleted}; {@link #onClusterEvent} and {@link #onFinished} arrive on
 * the same thread between steps. Implementations need no locking.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface Scheduler {

    /** {@return the scheduler's name, as selected by {@code gantry.scheduler}} */
    String name();

    /**
     * The step to run now. Return {@link StepPlan#IDLE} when nothing can run. Called when there is at least
     * one waiting, running or swapped sequence.
     *
     * @param view the sequences, the KV budget and the limits; valid only during this call
     * @return the plan; never null
     */
    StepPlan schedule(SchedulerView view);

    /**
     * The result of the step last planned. Default: nothing.
     *
     * @param outcome what the step did, per sequence
     */
    default void onStepCompleted(StepOutcome outcome) {
    }

    /**
     * A sequence left the engine (finished, cancelled or migrated); forget it. Default: nothing.
     *
     * @param sequence the sequence; it is not passed again
     */
    default void onFinished(SequenceId sequence) {
    }

    /**
     * Capacity changed (a preemption notice, a restored instance). Default: nothing.
     *
     * @param event what changed
     */
    default void onClusterEvent(ClusterEvent event) {
    }

    /**
     * The preemption modes this scheduler may use; the engine provisions the host swap pool only when
     * {@link PreemptionMode#SWAP} is among them. Default: recompute only.
     *
     * @return the modes; not empty
     */
    default Set<PreemptionMode> preemptionModes() {
        return EnumSet.of(PreemptionMode.RECOMPUTE);
    }
}
