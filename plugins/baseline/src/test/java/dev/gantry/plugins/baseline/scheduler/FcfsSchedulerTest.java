package dev.gantry.plugins.baseline.scheduler;

import dev.gantry.spi.SequenceId;
import dev.gantry.spi.scheduler.KvBudget;
import dev.gantry.spi.scheduler.Preemption;
import dev.gantry.spi.scheduler.PreemptionMode;
import dev.gantry.spi.scheduler.ScheduledWork;
import dev.gantry.spi.scheduler.SchedulerView;
import dev.gantry.spi.scheduler.SequencePhase;
import dev.gantry.spi.scheduler.SequenceState;
import dev.gantry.spi.scheduler.StepLimits;
import dev.gantry.spi.scheduler.StepPlan;
import dev.gantry.spi.scheduler.WorkKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FcfsSchedulerTest {

    record View(List<SequenceState> waiting, List<SequenceState> running, List<SequenceState> swapped, KvBudget kv,
                StepLimits limits, boolean draining) implements SchedulerView {
        public long nowNanos() {
            return 0;
        }
    }

    static SequenceState seq(long id, SequencePhase phase, int prompt, int computed, int generated, int blocks) {
        return new SequenceState(new SequenceId(id), "m", WorkKind.INFERENCE, phase, prompt, computed, generated,
                100, id, 0, Long.MAX_VALUE, blocks, 0, 0);
    }

    static KvBudget kv(int free) {
        return new KvBudget(16, 100, free, 0, 0, 1024);
    }

    @Test
    void runningDecodesFirstThenWaitingPromptsAreChunkedIntoTheTokenBudget() {
        var running = List.of(seq(1, SequencePhase.RUNNING, 10, 12, 3, 1));
        var waiting = List.of(seq(2, SequencePhase.WAITING, 40, 0, 0, 0), seq(3, SequencePhase.WAITING, 8, 0, 0, 0));
        StepPlan plan = new FcfsScheduler(PreemptionMode.RECOMPUTE).schedule(
                new View(waiting, running, List.of(), kv(50), new StepLimits(32, 8), false));
        assertEquals(List.of(new ScheduledWork(new SequenceId(1), 1), new ScheduledWork(new SequenceId(2), 31)),
                plan.work(), "the second prompt waits: the budget is spent and FCFS does not skip ahead");
        assertEquals(32, plan.totalTokens());
    }

    @Test
    void theNewestRunningSequenceIsPreemptedWhenBlocksRunOut() {
        // Both sit exactly at a block boundary: each needs a new block to decode, one is free.
        var running = List.of(seq(1, SequencePhase.RUNNING, 16, 16, 1, 1), seq(2, SequencePhase.RUNNING, 16, 16, 1, 1),
                seq(3, SequencePhase.RUNNING, 16, 16, 1, 1));
        StepPlan plan = new FcfsScheduler(PreemptionMode.SWAP).schedule(
                new View(List.of(seq(4, SequencePhase.WAITING, 4, 0, 0, 0)), running, List.of(), kv(1),
                        new StepLimits(64, 8), false));
        assertEquals(List.of(new Preemption(new SequenceId(3), PreemptionMode.SWAP)), plan.preemptions());
        assertEquals(List.of(new ScheduledWork(new SequenceId(1), 1), new ScheduledWork(new SequenceId(2), 1)),
                plan.work(), "nothing new is admitted in a step that had to preempt");
    }

    @Test
    void aDrainingInstanceAdmitsNothingNew() {
        StepPlan plan = new FcfsScheduler(PreemptionMode.RECOMPUTE).schedule(new View(
                List.of(seq(1, SequencePhase.WAITING, 4, 0, 0, 0)), List.of(), List.of(), kv(10),
                new StepLimits(64, 8), true));
        assertEquals(StepPlan.IDLE, plan);
    }
}
