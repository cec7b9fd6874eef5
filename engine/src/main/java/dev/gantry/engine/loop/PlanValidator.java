package dev.gantry.engine.loop;

import dev.gantry.spi.SequenceId;
import dev.gantry.spi.scheduler.Preemption;
import dev.gantry.spi.scheduler.ScheduledWork;
import dev.gantry.spi.scheduler.StepLimits;
import dev.gantry.spi.scheduler.StepPlan;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks a scheduler's {@link StepPlan} before the engine acts on it, so that a faulty plugin fails with a
 * message naming it and the problem rather than corrupting the cache.
 */
final class PlanValidator {

    private PlanValidator() {
    }

    /** @throws IllegalStateException naming the scheduler and what is wrong */
    static void check(String scheduler, StepPlan plan, StepLimits limits, Map<SequenceId, LiveSequence> known) {
        Set<SequenceId> seen = new HashSet<>();
        for (Preemption p : plan.preemptions()) {
            LiveSequence s = known.get(p.sequence());
            if (s == null || s.blocks == null || s.phase != dev.gantry.spi.scheduler.SequencePhase.RUNNING) {
                throw invalid(scheduler, "it preempts " + p.sequence() + ", which is not running");
            }
            if (!seen.add(p.sequence())) {
                throw invalid(scheduler, "it preempts " + p.sequence() + " twice");
            }
        }
        for (SequenceId m : plan.migrations()) {
            if (!known.containsKey(m) || !seen.add(m)) {
                throw invalid(scheduler, "it migrates " + m + ", which is unknown or already preempted");
            }
        }
        if (plan.work().size() > limits.maxSequences()) {
            throw invalid(scheduler, "it runs " + plan.work().size() + " sequences; the limit is "
                    + limits.maxSequences());
        }
        if (plan.totalTokens() > limits.maxTokens()) {
            throw invalid(scheduler, "it schedules " + plan.totalTokens() + " tokens; the limit is "
                    + limits.maxTokens());
        }
        for (ScheduledWork w : plan.work()) {
            if (!known.containsKey(w.sequence())) {
                throw invalid(scheduler, "it runs " + w.sequence() + ", which the engine does not hold");
            }
            if (!seen.add(w.sequence())) {
                throw invalid(scheduler, "it lists " + w.sequence() + " twice, or both runs and preempts it");
            }
        }
    }

    private static IllegalStateException invalid(String scheduler, String problem) {
        return new IllegalStateException("scheduler '" + scheduler + "' returned an invalid step plan: " + problem);
    }
}
