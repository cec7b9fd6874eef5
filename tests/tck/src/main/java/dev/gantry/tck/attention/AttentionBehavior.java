package dev.gantry.tck.attention;

/**
 * What an attention backend may do beyond the contract every backend keeps (write every output element, match
 * what it declares about its accuracy, release per-sequence state). A plugin declares the behaviours it has;
 * the kit checks each declared one, and that an undeclared one is refused cleanly.
 */
public enum AttentionBehavior {

    /**
     * Approximates dense attention ({@code Approximation.bounded(...)}) instead of computing it exactly.
     * Checked: the declaration says so, with a description, and every call of the kit's workloads stays within
     * the declared relative error of dense attention. Not declared: the backend declares itself exact and
     * every call matches dense attention to {@value AttentionKit#EXACT_TOLERANCE} relative error.
     */
    APPROXIMATE,

    /**
     * Attends over speculative draft trees ({@code AttentionPhase.VERIFY} with an {@code AttentionMask.Tree}).
     * Checked: with the kit's branching-tree speculator every verify call matches dense attention under the
     * tree mask. Not declared: handed a tree mask, {@code attend} throws {@link UnsupportedOperationException}
     * rather than computing something else.
     */
    TREE_VERIFICATION
}
