package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;

import java.util.Arrays;

/**
 * A speculator's proposal: a tree of tokens rooted at the sequence's pending token.
 *
 * <p>Node 0 is the pending token (sampled from the last forward's logits, already part of the output, its KV
 * not yet computed); its parent is {@code -1}. Every other node's parent has a smaller index. The engine
 * verifies the whole tree in one forward pass: node {@code i} is at position {@code committedLength +
 * depth(i)} and attends to the committed prefix plus its ancestors. A tree of one node is plain decoding.
 *
 * @param tokens             token id per node; {@code tokens[0]} is the pending token
 * @param parents            parent index per node; {@code parents[0] == -1}
 * @param draftProbabilities optional, per node, the draft distribution over the vocabulary from which that
 *                           node's children were drawn (null, or null entries, when unknown); needed by
 *                           {@link VerifyMode#SAMPLE_LOSSLESS} to accept drafts at the rate that keeps the
 *                           target distribution. Give it only for children actually sampled from it (with or
 *                           without replacement); children chosen deterministically (a top-k, a copied n-gram)
 *                           must come with null, and are then verified as fixed proposals
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record DraftTree(int[] tokens, int[] parents, float[][] draftProbabilities) {

    /**
     * Checks the tree and copies the arrays.
     *
     * @throws IllegalArgumentException for no root, a root with a parent, a parent that is not an earlier node, or
     *                                   draft probabilities not one per node
     */
    public DraftTree {
        if (tokens.length == 0 || tokens.length != parents.length) {
            throw new IllegalArgumentException("a draft tree needs at least the root and one parent per node: "
                    + tokens.length + " tokens, " + parents.length + " parents");
        }
        if (parents[0] != -1) {
            throw new IllegalArgumentException("node 0 is the pending token and must have parent -1, has "
                    + parents[0]);
        }
        for (int i = 1; i < parents.length; i++) {
            if (parents[i] < 0 || parents[i] >= i) {
                throw new IllegalArgumentException("node " + i + " has parent " + parents[i]
                        + "; a parent must be an earlier node");
            }
        }
        if (draftProbabilities != null && draftProbabilities.length != tokens.length) {
            throw new IllegalArgumentException("draft probabilities must have one entry per node: "
                    + draftProbabilities.length + " for " + tokens.length + " nodes");
        }
        tokens = tokens.clone();
        parents = parents.clone();
        draftProbabilities = draftProbabilities == null ? null : draftProbabilities.clone();
    }

    /**
     * The tree of the pending token alone: no speculation this step.
     *
     * @param pendingToken the pending token
     * @return the tree of one node
     */
    public static DraftTree rootOnly(int pendingToken) {
        return new DraftTree(new int[] {pendingToken}, new int[] {-1}, null);
    }

    /**
     * A chain: the pending token followed by {@code drafts}, each the child of the one before.
     *
     * @param pendingToken the pending token
     * @param drafts       the draft tokens, in order
     * @return the chain
     */
    public static DraftTree chain(int pendingToken, int... drafts) {
        int[] tokens = new int[drafts.length + 1];
        int[] parents = new int[drafts.length + 1];
        tokens[0] = pendingToken;
        parents[0] = -1;
        for (int i = 0; i < drafts.length; i++) {
            tokens[i + 1] = drafts[i];
            parents[i + 1] = i;
        }
        return new DraftTree(tokens, parents, null);
    }

    /** {@return number of nodes, the root included} */
    public int size() {
        return tokens.length;
    }

    /**
     * Depth of node {@code i}: 0 for the root.
     *
     * @param i the node
     * @return its depth
     */
    public int depth(int i) {
        int d = 0;
        for (int n = parents[i]; n >= 0; n = parents[n]) {
            d++;
        }
        return d;
    }

    /**
     * The token of node {@code i}.
     *
     * @param i the node
     * @return its token
     */
    public int token(int i) {
        return tokens[i];
    }

    /**
     * The parent of node {@code i} ({@code -1} for the root).
     *
     * @param i the node
     * @return its parent
     */
    public int parent(int i) {
        return parents[i];
    }

    /** {@return a copy of the token per node} */
    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** {@return a copy of the parent per node} */
    @Override
    public int[] parents() {
        return parents.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DraftTree t && Arrays.equals(t.tokens, tokens) && Arrays.equals(t.parents, parents);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens) * 31 + Arrays.hashCode(parents);
    }

    @Override
    public String toString() {
        return "DraftTree" + Arrays.toString(tokens) + " parents " + Arrays.toString(parents);
    }
}
