package dev.gantry.tck.scheduler;

import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.loop.LoopStats;
import dev.gantry.engine.sample.FinishReason;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.scheduler.PreemptionMode;
import dev.gantry.tck.KitRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What happened when a workload ran through the real engine under the scheduler under test: every decision
 * the scheduler made ({@link #events()}), every way a plan broke the contract ({@link #violations()}), each
 * request's result, and the ids the scheduler still held afterwards. The {@code assert…} methods fail with a
 * message that names the step and the sequences, and return the run so checks chain.
 */
public final class SchedulerRun {

    /**
     * A way one plan broke the contract.
     *
     * @param kind    which rule
     * @param step    the step of the plan
     * @param message what was wrong, naming the scheduler and the sequences
     */
    public record Violation(Kind kind, long step, String message) {

        /** The rules the kit checks every plan against. */
        public enum Kind {
            /** More tokens or sequences than the step's limits. */
            STEP_LIMIT,
            /** More KV blocks than were free plus what the plan's preemptions free. */
            KV_BUDGET,
            /** A malformed plan: unknown or repeated sequences, wrong token counts, a null plan. */
            PLAN,
            /** A preemption mode the scheduler does not declare in {@code preemptionModes()}. */
            UNDECLARED_MODE,
            /** The workload cannot finish: idle plans while sequences wait, or sequences starved. */
            STALL
        }
    }

    /**
     * One request of the workload and how it ended.
     *
     * @param request  the request
     * @param sequence the engine's id for it
     * @param result   its result, or null when it failed
     * @param failure  why it failed, or null
     */
    public record RequestOutcome(KitRequest request, SequenceId sequence, GenerationResult result, String failure) {
    }

    private final String label;
    private final String schedulerName;
    private final List<SchedulerEvent> events;
    private final List<Violation> violations;
    private final List<RequestOutcome> outcomes;
    private final String abandoned;
    private final long steps;
    private final LoopStats stats;
    private final Set<SequenceId> retained;

    SchedulerRun(String label, String schedulerName, List<SchedulerEvent> events, List<Violation> violations,
                 List<RequestOutcome> outcomes, String abandoned, long steps, LoopStats stats,
                 Set<SequenceId> retained) {
        this.label = label;
        this.schedulerName = schedulerName;
        this.events = List.copyOf(events);
        this.violations = List.copyOf(violations);
        this.outcomes = List.copyOf(outcomes);
        this.abandoned = abandoned;
        this.steps = steps;
        this.stats = stats;
        this.retained = Set.copyOf(retained);
    }

    /** What the kit ran (for messages): the scheduler, the settings and the budget. */
    public String label() {
        return label;
    }

    /** What the created scheduler's {@code name()} said. */
    public String schedulerName() {
        return schedulerName;
    }

    /** Every decision, in order. */
    public List<SchedulerEvent> events() {
        return events;
    }

    /** Every broken rule, in order. */
    public List<Violation> violations() {
        return violations;
    }

    /** The broken rules of one kind. */
    public List<Violation> violations(Violation.Kind kind) {
        return violations.stream().filter(v -> v.kind() == kind).toList();
    }

    /** Each request and how it ended, in submission order. */
    public List<RequestOutcome> outcomes() {
        return outcomes;
    }

    /** Why the kit cancelled unfinished requests, or null when everything finished by itself. */
    public String abandoned() {
        return abandoned;
    }

    /** Steps planned. */
    public long steps() {
        return steps;
    }

    /** The engine's counters at the end. */
    public LoopStats stats() {
        return stats;
    }

    /** Sequence ids still reachable from the scheduler after every request ended. */
    public Set<SequenceId> retainedSequences() {
        return retained;
    }

    /** The preemption modes the scheduler used. */
    public Set<PreemptionMode> preemptionModesUsed() {
        Set<PreemptionMode> used = EnumSet.noneOf(PreemptionMode.class);
        events.stream().filter(e -> e instanceof SchedulerEvent.Preempted)
                .forEach(e -> used.add(((SchedulerEvent.Preempted) e).mode()));
        return used;
    }

    /** Sequences in the order they were first given work. */
    public List<SequenceId> admissionOrder() {
        return events.stream().filter(e -> e instanceof SchedulerEvent.Admitted).map(SchedulerEvent::sequence)
                .toList();
    }

    /** Fails when any plan broke a rule of one of these kinds. */
    public SchedulerRun assertNo(Violation.Kind... kinds) {
        Set<Violation.Kind> wanted = Set.of(kinds);
        List<Violation> found = violations.stream().filter(v -> wanted.contains(v.kind())).toList();
        if (!found.isEmpty()) {
            fail(label + ": " + found.size() + " plan(s) broke the contract, first: " + found.stream().limit(5)
                    .map(Violation::message).collect(Collectors.joining("; ")));
        }
        return this;
    }

    /**
     * Fails unless every request ended by itself with all the tokens it asked for, and every preempted sequence
     * was given work again before it ended.
     */
    public SchedulerRun assertEveryRequestFinished() {
        if (abandoned != null) {
            fail(label + ": the kit gave up: " + abandoned);
        }
        for (RequestOutcome o : outcomes) {
            if (o.result() == null) {
                fail(label + ": request " + o.sequence() + " failed: " + o.failure());
            }
            if (o.result().finishReason() != FinishReason.LENGTH
                    || o.result().tokens().length != o.request().maxTokens()) {
                fail(label + ": request " + o.sequence() + " ended " + o.result().finishReason() + " after "
                        + o.result().tokens().length + " of " + o.request().maxTokens() + " tokens");
            }
        }
        Set<SequenceId> waitingForResume = new HashSet<>();
        for (SchedulerEvent e : events) {
            switch (e) {
                case SchedulerEvent.Preempted p -> waitingForResume.add(p.sequence());
                case SchedulerEvent.Resumed r -> waitingForResume.remove(r.sequence());
                default -> {
                }
            }
        }
        if (!waitingForResume.isEmpty()) {
            fail(label + ": preempted sequences never ran again: " + waitingForResume);
        }
        return this;
    }

    /** Fails unless the scheduler preempted at least once with {@code mode}. */
    public SchedulerRun assertPreempted(PreemptionMode mode) {
        if (!preemptionModesUsed().contains(mode)) {
            fail(label + ": the workload was built to run out of KV blocks, but the scheduler never preempted by "
                    + mode + " (" + stats.preemptions() + " preemptions in all)");
        }
        return this;
    }

    /** Fails unless every request generated exactly the tokens it generated in {@code reference}. */
    public SchedulerRun assertSameTokensAs(SchedulerRun reference) {
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            RequestOutcome mine = outcomes.get(i);
            RequestOutcome theirs = reference.outcomes.get(i);
            if (mine.result() == null || theirs.result() == null
                    || !Arrays.equals(mine.result().tokens(), theirs.result().tokens())) {
                differing.add("request " + i + " (" + mine.sequence() + ", preempted "
                        + (mine.result() == null ? "?" : mine.result().preemptions()) + " times)");
            }
        }
        if (!differing.isEmpty()) {
            fail(label + ": output differs from " + reference.label + " for " + String.join(", ", differing));
        }
        return this;
    }

    /** Fails when the scheduler still holds ids of sequences that left the engine. */
    public SchedulerRun assertReleasedEverySequence() {
        if (!retained.isEmpty()) {
            fail(label + ": after every request ended the scheduler still holds " + retained
                    + "; drop per-sequence state in onFinished");
        }
        return this;
    }

    @Override
    public String toString() {
        return label;
    }
}
