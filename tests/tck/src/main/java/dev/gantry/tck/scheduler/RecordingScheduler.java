package dev.gantry.tck.scheduler;

import dev.gantry.spi.ClusterEvent;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.scheduler.KvBudget;
import dev.gantry.spi.scheduler.Preemption;
import dev.gantry.spi.scheduler.PreemptionMode;
import dev.gantry.spi.scheduler.ScheduledWork;
import dev.gantry.spi.scheduler.Scheduler;
import dev.gantry.spi.scheduler.SchedulerView;
import dev.gantry.spi.scheduler.SequencePhase;
import dev.gantry.spi.scheduler.SequenceState;
import dev.gantry.spi.scheduler.StepLimits;
import dev.gantry.spi.scheduler.StepOutcome;
import dev.gantry.spi.scheduler.StepPlan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The scheduler under test, as the engine sees it: every call goes to the plugin's scheduler, and every plan is
 * recorded and checked against the view it was made from before the engine acts on it.
 */
final class RecordingScheduler implements Scheduler {

    /**
     * Steps in a row that processed no token, after which nothing will change any more: the sequences can never
     * finish (idle plans, or plans the engine cannot run because their blocks are not free).
     */
    static final int STEPS_WITHOUT_PROGRESS_BEFORE_STALL = 200;

    private final Scheduler delegate;
    private final long maxSteps;
    private final List<SchedulerEvent> events = new ArrayList<>();
    private final List<SchedulerRun.Violation> violations = new ArrayList<>();
    private final Set<SequenceId> admitted = new HashSet<>();
    private final Set<SequenceId> awaitingResume = new HashSet<>();
    private final Set<SequenceId> left = new HashSet<>();
    private long step;
    private int withoutProgress;
    private volatile String stalled;

    RecordingScheduler(Scheduler delegate, long maxSteps) {
        this.delegate = delegate;
        this.maxSteps = maxSteps;
    }

    /** The plugin's own scheduler. */
    Scheduler delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Set<PreemptionMode> preemptionModes() {
        return delegate.preemptionModes();
    }

    @Override
    public void onStepCompleted(StepOutcome outcome) {
        synchronized (this) {
            if (outcome.progress().stream().anyMatch(p -> p.tokensProcessed() > 0)) {
                withoutProgress = 0;
            }
        }
        delegate.onStepCompleted(outcome);
    }

    @Override
    public synchronized void onFinished(SequenceId sequence) {
        events.add(new SchedulerEvent.Finished(step, sequence));
        left.add(sequence);
        delegate.onFinished(sequence);
    }

    @Override
    public void onClusterEvent(ClusterEvent event) {
        delegate.onClusterEvent(event);
    }

    @Override
    public synchronized StepPlan schedule(SchedulerView view) {
        step++;
        StepPlan plan = delegate.schedule(view);
        if (plan == null) {
            violate(SchedulerRun.Violation.Kind.PLAN, "returned null instead of a plan (StepPlan.IDLE when idle)");
            return StepPlan.IDLE;
        }
        check(view, plan);
        record(view, plan);
        watchProgress(view, plan);
        return plan;
    }

    private void check(SchedulerView view, StepPlan plan) {
        StepLimits limits = view.limits();
        if (plan.totalTokens() > limits.maxTokens()) {
            violate(SchedulerRun.Violation.Kind.STEP_LIMIT, "scheduled " + plan.totalTokens()
                    + " tokens; the step limit is " + limits.maxTokens());
        }
        if (plan.work().size() > limits.maxSequences()) {
            violate(SchedulerRun.Violation.Kind.STEP_LIMIT, "ran " + plan.work().size()
                    + " sequences; the step limit is " + limits.maxSequences());
        }
        Map<SequenceId, SequenceState> states = new HashMap<>();
        for (List<SequenceState> list : List.of(view.waiting(), view.running(), view.swapped())) {
            list.forEach(s -> states.put(s.id(), s));
        }
        KvBudget kv = view.kv();
        Set<PreemptionMode> declared = delegate.preemptionModes();
        Set<SequenceId> listed = new HashSet<>();
        long freed = 0;
        for (Preemption p : plan.preemptions()) {
            SequenceState s = states.get(p.sequence());
            if (s == null || s.phase() != SequencePhase.RUNNING) {
                violate(SchedulerRun.Violation.Kind.PLAN, "preempted " + p.sequence() + ", which is "
                        + (s == null ? "not held by the engine" : s.phase().name().toLowerCase()) + ", not running");
                continue;
            }
            if (!declared.contains(p.mode())) {
                violate(SchedulerRun.Violation.Kind.UNDECLARED_MODE, "preempted " + p.sequence() + " by " + p.mode()
                        + " but preemptionModes() declares only " + declared);
            }
            if (!listed.add(p.sequence())) {
                violate(SchedulerRun.Violation.Kind.PLAN, "preempted " + p.sequence() + " twice");
            }
            freed += s.blocksHeld();
        }
        long need = 0;
        for (ScheduledWork w : plan.work()) {
            SequenceState s = states.get(w.sequence());
            if (s == null) {
                violate(SchedulerRun.Violation.Kind.PLAN, "ran " + w.sequence() + ", which the engine does not hold");
                continue;
            }
            if (!listed.add(w.sequence())) {
                violate(SchedulerRun.Violation.Kind.PLAN, "listed " + w.sequence()
                        + " twice, or both ran and preempted it");
            }
            if (s.isDecoding() && w.tokens() != 1) {
                violate(SchedulerRun.Violation.Kind.PLAN, "gave decoding sequence " + w.sequence() + " " + w.tokens()
                        + " tokens; a decoding sequence processes exactly 1 (the engine adds draft tokens)");
            } else if (!s.isDecoding() && w.tokens() > Math.max(1, s.tokensToPrefill())) {
                violate(SchedulerRun.Violation.Kind.PLAN, "gave " + w.sequence() + " a chunk of " + w.tokens()
                        + " tokens but only " + s.tokensToPrefill() + " are left to prefill");
            }
            need += kv.blocksNeeded(s, w.tokens());
        }
        if (need > kv.freeBlocks() + freed) {
            violate(SchedulerRun.Violation.Kind.KV_BUDGET, "the plan needs " + need + " KV blocks, but "
                    + kv.freeBlocks() + " were free" + (freed > 0 ? " and its preemptions free " + freed : ""));
        }
    }

    private void record(SchedulerView view, StepPlan plan) {
        Map<SequenceId, SequenceState> waiting = view.waiting().stream()
                .collect(Collectors.toMap(SequenceState::id, s -> s));
        for (Preemption p : plan.preemptions()) {
            events.add(new SchedulerEvent.Preempted(step, p.sequence(), p.mode()));
            awaitingResume.add(p.sequence());
        }
        for (ScheduledWork w : plan.work()) {
            if (admitted.add(w.sequence())) {
                SequenceState s = waiting.get(w.sequence());
                events.add(new SchedulerEvent.Admitted(step, w.sequence(), s == null ? 0 : s.priority()));
            } else if (awaitingResume.remove(w.sequence())) {
                events.add(new SchedulerEvent.Resumed(step, w.sequence()));
            }
            events.add(new SchedulerEvent.Scheduled(step, w.sequence(), w.tokens()));
        }
    }

    private void watchProgress(SchedulerView view, StepPlan plan) {
        // Reset by onStepCompleted when the step processed tokens.
        withoutProgress++;
        int held = view.waiting().size() + view.running().size() + view.swapped().size();
        if (stalled == null && withoutProgress >= STEPS_WITHOUT_PROGRESS_BEFORE_STALL) {
            stalled = "no token was processed in " + withoutProgress + " steps in a row while the engine held " + held
                    + " sequences (" + view.waiting().size() + " waiting, " + view.running().size() + " running, "
                    + view.swapped().size() + " swapped; the last plan " + (plan.isIdle() ? "was idle"
                    : "ran " + plan.work().size() + " sequences the engine could not fit") + "): they can never finish";
            violate(SchedulerRun.Violation.Kind.STALL, stalled);
        }
        if (stalled == null && step > maxSteps) {
            stalled = "after " + step + " steps " + held + " sequences still had not finished ("
                    + view.waiting().stream().map(s -> s.id().toString()).collect(Collectors.joining(", "))
                    + " waiting): a fixed workload must finish";
            violate(SchedulerRun.Violation.Kind.STALL, stalled);
        }
    }

    private void violate(SchedulerRun.Violation.Kind kind, String message) {
        if (violations.size() >= 1000) {
            return; // enough to show what is wrong
        }
        violations.add(new SchedulerRun.Violation(kind, step, "step " + step + ": scheduler '" + delegate.name()
                + "' " + message));
    }

    /** Why the run cannot finish, or null. */
    String stalled() {
        return stalled;
    }

    synchronized List<SchedulerEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<SchedulerRun.Violation> violations() {
        return List.copyOf(violations);
    }

    synchronized long steps() {
        return step;
    }
}
