package dev.gantry.tck.attention;

import dev.gantry.engine.sample.FinishReason;
import dev.gantry.spi.ReleaseReason;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.Approximation;
import dev.gantry.spi.attention.AttentionPhase;
import dev.gantry.tck.internal.EngineSession.Completion;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What happened when the kit's workload ran through the real engine with the attention backend under test:
 * calls per phase, the largest relative error against dense attention per phase, every call that broke the
 * contract, the releases the engine sent, and the sequence ids the backend still held afterwards.
 */
public final class AttentionRun {

    /**
     * What the recorder saw.
     *
     * @param calls      calls per phase
     * @param maxError   largest relative error against dense attention per phase
     * @param violations every call over the tolerance or with unwritten output, described
     * @param seen       sequences attended for
     * @param releases   release reasons per sequence
     */
    record Record(Map<AttentionPhase, Long> calls, Map<AttentionPhase, Double> maxError, List<String> violations,
                  Set<SequenceId> seen, Map<SequenceId, List<ReleaseReason>> releases) {
    }

    private final String label;
    private final String backendName;
    private final Approximation approximation;
    private final double tolerance;
    private final List<Completion> completions;
    private final Record record;
    private final Set<SequenceId> retained;

    AttentionRun(String label, String backendName, Approximation approximation, double tolerance,
                 List<Completion> completions, Record record, Set<SequenceId> retained) {
        this.label = label;
        this.backendName = backendName;
        this.approximation = approximation;
        this.tolerance = tolerance;
        this.completions = List.copyOf(completions);
        this.record = record;
        this.retained = Set.copyOf(retained);
    }

    /** What the kit ran, for messages. */
    public String label() {
        return label;
    }

    /** What the created backend's {@code name()} said. */
    public String backendName() {
        return backendName;
    }

    /** What the backend declared about its accuracy. */
    public Approximation approximation() {
        return approximation;
    }

    /** The relative error each call was held to. */
    public double tolerance() {
        return tolerance;
    }

    /** Calls in {@code phase}. */
    public long calls(AttentionPhase phase) {
        return record.calls().get(phase);
    }

    /** The largest relative error against dense attention in {@code phase}. */
    public double maxError(AttentionPhase phase) {
        return record.maxError().get(phase);
    }

    /** Each request's end, in submission order (the cancelled one last). */
    public List<Completion> completions() {
        return completions;
    }

    /** Sequence ids still reachable from the backend after every request ended. */
    public Set<SequenceId> retainedSequences() {
        return retained;
    }

    /** Fails when any call was over the tolerance or left output unwritten. */
    public AttentionRun assertMatchesDenseAttention() {
        if (!record.violations().isEmpty()) {
            fail(label + ": " + record.violations().size() + " call(s) broke the contract, first: "
                    + String.join("; ", record.violations().subList(0, Math.min(3, record.violations().size()))));
        }
        return this;
    }

    /** Fails unless the workload produced calls in {@code phase}. */
    public AttentionRun assertExercised(AttentionPhase phase) {
        if (calls(phase) == 0) {
            fail(label + ": the kit's workload produced no " + phase + " call");
        }
        return this;
    }

    /** Fails unless every request ended with a result. */
    public AttentionRun assertNoFailures() {
        for (Completion c : completions) {
            if (!c.succeeded()) {
                fail(label + ": request " + c.sequence() + " failed: " + c.failure());
            }
        }
        return this;
    }

    /**
     * Fails unless the engine released every sequence the backend attended for, with the reason matching how it
     * ended, and the backend holds none of their ids afterwards.
     */
    public AttentionRun assertReleasedEverySequence() {
        for (Completion c : completions) {
            if (!record.seen().contains(c.sequence())) {
                continue;
            }
            List<ReleaseReason> reasons = record.releases().getOrDefault(c.sequence(), List.of());
            ReleaseReason expected = c.succeeded() && c.result().finishReason() == FinishReason.CANCELLED
                    ? ReleaseReason.CANCELLED : ReleaseReason.FINISHED;
            if (reasons.isEmpty() || reasons.getLast() != expected) {
                fail(label + ": " + c.sequence() + " ended " + (c.succeeded() ? c.result().finishReason() : "failed")
                        + " but its releases were " + reasons);
            }
        }
        if (!retained.isEmpty()) {
            fail(label + ": after every request ended the backend still holds " + retained
                    + "; drop per-sequence state in release()");
        }
        return this;
    }

    /** Whether some sequence was released for recompute (the kit's budget forced a preemption). */
    public boolean sawPreemption() {
        return record.releases().values().stream().anyMatch(r -> r.contains(ReleaseReason.PREEMPTED_RECOMPUTE));
    }

    @Override
    public String toString() {
        return label;
    }
}
