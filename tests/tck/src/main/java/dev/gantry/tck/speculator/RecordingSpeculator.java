package dev.gantry.tck.speculator;

import dev.gantry.spi.ReleaseReason;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.speculator.DraftTree;
import dev.gantry.spi.speculator.SpeculationContext;
import dev.gantry.spi.speculator.Speculator;
import dev.gantry.spi.speculator.VerifyMode;
import dev.gantry.spi.speculator.VerifyResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The speculator under test, as the engine sees it: every call goes to the plugin's speculator, and every tree
 * it proposes is recorded and checked against the context it was proposed in.
 */
final class RecordingSpeculator implements Speculator {

    private final Speculator delegate;
    private final List<String> violations = new ArrayList<>();
    private final Set<SequenceId> proposedFor = new LinkedHashSet<>();
    private final Map<SequenceId, List<ReleaseReason>> releases = new LinkedHashMap<>();
    private long proposals;
    private long draftNodes;
    private long sampledDraftNodes;
    private long branchingTrees;
    private long treesWithProbabilities;

    RecordingSpeculator(Speculator delegate) {
        this.delegate = delegate;
    }

    Speculator delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public VerifyMode verifyMode() {
        return delegate.verifyMode();
    }

    @Override
    public int maxTreeSize() {
        return delegate.maxTreeSize();
    }

    @Override
    public DraftTree propose(SpeculationContext context) {
        DraftTree tree = delegate.propose(context);
        synchronized (this) {
            proposals++;
            proposedFor.add(context.sequence());
            if (tree == null) {
                violate(context, "proposed null; return DraftTree.rootOnly(pendingToken) to skip speculation");
                return DraftTree.rootOnly(context.pendingToken());
            }
            check(context, tree);
        }
        return tree;
    }

    private void check(SpeculationContext context, DraftTree tree) {
        int vocab = context.target().model().vocabularySize();
        if (tree.token(0) != context.pendingToken()) {
            violate(context, "proposed a tree rooted at token " + tree.token(0) + ", not at the pending token "
                    + context.pendingToken());
        }
        if (tree.size() > context.maxTreeSize()) {
            violate(context, "proposed " + tree.size() + " nodes; the engine allowed " + context.maxTreeSize());
        }
        if (tree.size() > delegate.maxTreeSize()) {
            violate(context, "proposed " + tree.size() + " nodes; its maxTreeSize() is " + delegate.maxTreeSize());
        }
        int[] children = new int[tree.size()];
        for (int i = 1; i < tree.size(); i++) {
            if (tree.token(i) < 0 || tree.token(i) >= vocab) {
                violate(context, "proposed token " + tree.token(i) + " at node " + i + ", outside the vocabulary of "
                        + vocab);
            }
            children[tree.parent(i)]++;
        }
        draftNodes += tree.size() - 1;
        if (!context.sampling().greedy()) {
            sampledDraftNodes += tree.size() - 1;
        }
        for (int c : children) {
            if (c > 1) {
                branchingTrees++;
                break;
            }
        }
        float[][] q = tree.draftProbabilities();
        if (q != null) {
            boolean any = false;
            for (int node = 0; node < q.length; node++) {
                if (q[node] != null) {
                    any = true;
                    checkDistribution(context, tree, node, q[node], vocab);
                }
            }
            treesWithProbabilities += any ? 1 : 0;
        }
    }

    private void checkDistribution(SpeculationContext context, DraftTree tree, int node, float[] q, int vocab) {
        if (q.length != vocab) {
            violate(context, "gave node " + node + " a draft distribution of " + q.length + " entries; the vocabulary "
                    + "has " + vocab);
            return;
        }
        double sum = 0;
        for (float p : q) {
            if (!(p >= 0) || Float.isInfinite(p)) {
                violate(context, "gave node " + node + " a draft distribution with the entry " + p);
                return;
            }
            sum += p;
        }
        if (Math.abs(sum - 1) > 1e-3) {
            violate(context, "gave node " + node + " a draft distribution summing to " + sum + ", not 1");
        }
        for (int i = 1; i < tree.size(); i++) {
            if (tree.parent(i) == node && q[tree.token(i)] <= 0) {
                violate(context, "proposed token " + tree.token(i) + " as a child of node " + node
                        + ", which its draft distribution gives probability 0");
            }
        }
    }

    private void violate(SpeculationContext context, String message) {
        if (violations.size() < 1000) {
            violations.add(context.sequence() + " at committed length " + context.committed().length() + ": "
                    + "speculator '" + delegate.name() + "' " + message);
        }
    }

    @Override
    public void onVerified(SequenceId sequence, VerifyResult result) {
        delegate.onVerified(sequence, result);
    }

    @Override
    public void release(SequenceId sequence, ReleaseReason reason) {
        synchronized (this) {
            releases.computeIfAbsent(sequence, k -> new ArrayList<>()).add(reason);
        }
        delegate.release(sequence, reason);
    }

    /** What the recorder saw, as of now. */
    synchronized SpeculatorRun.Record snapshot() {
        Map<SequenceId, List<ReleaseReason>> r = new LinkedHashMap<>();
        releases.forEach((k, v) -> r.put(k, List.copyOf(v)));
        return new SpeculatorRun.Record(List.copyOf(violations), Set.copyOf(proposedFor), r, proposals, draftNodes,
                sampledDraftNodes, branchingTrees, treesWithProbabilities);
    }
}
