package dev.gantry.tck.speculator;

import dev.gantry.engine.loop.LoopStats;
import dev.gantry.engine.sample.FinishReason;
import dev.gantry.spi.ReleaseReason;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.speculator.VerifyMode;
import dev.gantry.tck.internal.EngineSession.Completion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What happened when requests ran through the real engine with the speculator under test: each request's
 * result, every tree it proposed (counted and checked), every release the engine sent it, and the sequence ids
 * it still held afterwards. The {@code assert…} methods fail with a message naming the sequences and return the
 * run so checks chain.
 */
public final class SpeculatorRun {

    /**
     * What the recorder saw.
     *
     * @param violations             every malformed or over-budget tree, described
     * @param proposedFor            sequences it was asked to propose for
     * @param releases               release reasons per sequence, in order
     * @param proposals              trees proposed
     * @param draftNodes             nodes beyond the root, over all trees
     * @param sampledDraftNodes      of those, nodes proposed for sampled (non-greedy) requests
     * @param branchingTrees         trees in which some node has several children
     * @param treesWithProbabilities trees that came with draft distributions
     */
    record Record(List<String> violations, Set<SequenceId> proposedFor, Map<SequenceId, List<ReleaseReason>> releases,
                  long proposals, long draftNodes, long sampledDraftNodes, long branchingTrees,
                  long treesWithProbabilities) {
    }

    private final String label;
    private final String speculatorName;
    private final VerifyMode verifyMode;
    private final int maxTreeSize;
    private final List<Completion> completions;
    private final Record record;
    private final LoopStats stats;
    private final Set<SequenceId> retained;

    SpeculatorRun(String label, String speculatorName, VerifyMode verifyMode, int maxTreeSize,
                  List<Completion> completions,
                  Record record, LoopStats stats, Set<SequenceId> retained) {
        this.label = label;
        this.speculatorName = speculatorName;
        this.verifyMode = verifyMode;
        this.maxTreeSize = maxTreeSize;
        this.completions = List.copyOf(completions);
        this.record = record;
        this.stats = stats;
        this.retained = Set.copyOf(retained);
    }

    /** What the kit ran, for messages. */
    public String label() {
        return label;
    }

    /** What the created speculator's {@code name()} said. */
    public String speculatorName() {
        return speculatorName;
    }

    /** The verify mode the speculator declared. */
    public VerifyMode verifyMode() {
        return verifyMode;
    }

    /** The tree budget the speculator declared ({@code maxTreeSize()}). */
    public int maxTreeSize() {
        return maxTreeSize;
    }

    /** Each request's end, in submission order. */
    public List<Completion> completions() {
        return completions;
    }

    /** Every malformed or over-budget tree, described. */
    public List<String> violations() {
        return record.violations();
    }

    /** Trees proposed. */
    public long proposals() {
        return record.proposals();
    }

    /** Draft nodes (beyond the roots) proposed. */
    public long draftNodes() {
        return record.draftNodes();
    }

    /** Draft nodes proposed for sampled requests. */
    public long sampledDraftNodes() {
        return record.sampledDraftNodes();
    }

    /** Trees in which a node had several children. */
    public long branchingTrees() {
        return record.branchingTrees();
    }

    /** Trees that came with draft distributions. */
    public long treesWithProbabilities() {
        return record.treesWithProbabilities();
    }

    /** Release reasons per sequence, in order. */
    public Map<SequenceId, List<ReleaseReason>> releases() {
        return record.releases();
    }

    /** The engine's counters at the end (drafted and accepted tokens among them). */
    public LoopStats stats() {
        return stats;
    }

    /** Sequence ids still reachable from the speculator after every request ended. */
    public Set<SequenceId> retainedSequences() {
        return retained;
    }

    /** Fails when any proposed tree was malformed or over budget. */
    public SpeculatorRun assertWellFormedTrees() {
        if (!record.violations().isEmpty()) {
            fail(label + ": " + record.violations().size() + " bad tree(s), first: "
                    + String.join("; ", record.violations().subList(0, Math.min(5, record.violations().size()))));
        }
        return this;
    }

    /** Fails unless every request ended with a result (not failed). */
    public SpeculatorRun assertNoFailures() {
        for (Completion c : completions) {
            if (!c.succeeded()) {
                fail(label + ": request " + c.sequence() + " failed: " + c.failure());
            }
        }
        return this;
    }

    /** Fails unless request {@code i} generated exactly the tokens of {@code reference}'s request {@code i}. */
    public SpeculatorRun assertSameTokensAs(SpeculatorRun reference) {
        assertNoFailures();
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < completions.size(); i++) {
            int[] mine = completions.get(i).tokens();
            int[] theirs = reference.completions.get(i).tokens();
            if (!Arrays.equals(mine, theirs)) {
                differing.add("request " + i + ": " + firstDifference(mine, theirs));
            }
        }
        if (!differing.isEmpty()) {
            fail(label + ": greedy output differs from " + reference.label + ": " + String.join("; ", differing));
        }
        return this;
    }

    private static String firstDifference(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return "token " + i + " is " + a[i] + ", expected " + b[i];
            }
        }
        return a.length + " tokens, expected " + b.length;
    }

    /**
     * Fails unless the engine released every sequence the speculator proposed for, with the reason that matches
     * how it ended, and the speculator holds none of their ids afterwards.
     */
    public SpeculatorRun assertReleasedEverySequence() {
        for (Completion c : completions) {
            List<ReleaseReason> reasons = record.releases().getOrDefault(c.sequence(), List.of());
            if (!record.proposedFor().contains(c.sequence())) {
                continue;
            }
            ReleaseReason expected = c.succeeded() && c.result().finishReason() == FinishReason.CANCELLED
                    ? ReleaseReason.CANCELLED : ReleaseReason.FINISHED;
            if (reasons.isEmpty() || reasons.getLast() != expected) {
                fail(label + ": " + c.sequence() + " ended " + (c.succeeded() ? c.result().finishReason() : "failed")
                        + " but its releases were " + reasons);
            }
        }
        if (!retained.isEmpty()) {
            fail(label + ": after every request ended the speculator still holds " + retained
                    + "; drop per-sequence state in release()");
        }
        return this;
    }

    /** Sequences released with {@code reason} at least once. */
    public Set<SequenceId> releasedWith(ReleaseReason reason) {
        return record.releases().entrySet().stream().filter(e -> e.getValue().contains(reason))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    @Override
    public String toString() {
        return label;
    }
}
