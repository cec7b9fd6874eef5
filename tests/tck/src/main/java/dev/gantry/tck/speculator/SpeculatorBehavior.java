package dev.gantry.tck.speculator;

/**
 * What a speculator may do beyond the contract every speculator keeps (greedy requests decode exactly as plain
 * greedy, trees are well formed and within budget, sampled requests keep the target distribution, state is
 * released). A plugin declares the behaviours it has; the kit checks that each declared one is exercised and
 * works, and that an undeclared one is never done.
 */
public enum SpeculatorBehavior {

    /**
     * Proposes draft tokens beyond the root. Checked: on the kit's repetitive prompts it drafts, and the engine
     * accepts some of it. Not declared: every tree is the pending token alone.
     */
    DRAFTS,

    /**
     * Proposes trees in which a node has more than one child (Medusa, SpecInfer, Sequoia). Not declared: every
     * tree is a chain.
     */
    BRANCHING_TREES,

    /**
     * Gives the draft distribution its children were drawn from ({@code DraftTree.draftProbabilities()}), as
     * {@code SAMPLE_LOSSLESS} verification of sampled drafts needs. Checked: each one given is a probability
     * distribution over the vocabulary that can draw the children it comes with. Not declared: none is given.
     */
    DRAFT_PROBABILITIES,

    /**
     * Speculates for sampled requests too (temperature above 0), keeping the target distribution: its verify
     * mode is {@code SAMPLE_LOSSLESS}, {@code SAMPLE_FOLLOW_TARGET} or {@code GREEDY_EXACT}, never the lossy
     * one. Not declared: it proposes only the root for sampled requests, so they sample plainly.
     */
    LOSSLESS_SAMPLING
}
