package dev.gantry.tck.planner;

/**
 * What a parallel planner may do beyond the contract every planner keeps (valid plans that fit device memory,
 * the budget and the links, carrying the shared cost model's prediction; re-plans with a valid migration;
 * infeasible problems refused with {@code InfeasiblePlanException}). A plugin declares the behaviours it has;
 * the kit checks each declared one on a problem that needs it, and that an undeclared one is refused cleanly —
 * with {@code InfeasiblePlanException} and a message, or a valid plan that does without it.
 */
public enum PlannerBehavior {

    /**
     * Spreads one instance over several devices (tensor, pipeline or sequence parallelism). Checked: a model too
     * large for any one device gets a valid multi-device plan. Not declared: every instance uses one device, and
     * that model is refused as infeasible, naming it.
     */
    MULTI_DEVICE,

    /**
     * Places several models of one workload (AlpaServe, MuxServe). Checked: both models of a two-model workload
     * get instances. Not declared: such a problem is refused as infeasible.
     */
    MULTI_MODEL,

    /**
     * Partitions non-sequential models by their compute graph ({@code GraphNodes} stages, GraphPipe). Not
     * declared: a graph model gets layer-range stages, or is refused as infeasible.
     */
    GRAPH_STAGES
}
