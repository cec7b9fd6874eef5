package dev.gantry.spi.planner;

import dev.gantry.spi.Api;
import dev.gantry.spi.ClusterEvent;

/**
 * Decides how models are placed on a cluster: how many serving instances, on which devices, with which
 * tensor, pipeline and sequence degrees, which layers each stage holds, and each instance's batch limits.
 * Selected by {@code gantry.planner=<name>}.
 *
 * <p>How the papers map onto it:
 * <ul>
 *   <li>The baseline single-instance planner puts the whole model on one device as one instance with one
 *       stage and all degrees 1, and sizes its batch limits from the memory left for KV.</li>
 *   <li>SpotServe's {@link #plan} enumerates data/pipeline/tensor degrees and batch sizes for the devices at
 *       hand and the arrival rate, one {@link InstancePlan} per data-parallel replica; its {@link #replan}, on a
 *       {@link ClusterEvent.PreemptionNotice} or {@link ClusterEvent.DevicesChanged}, re-runs that search and
 *       returns its Kuhn–Munkres device mapping as {@link MigrationStep}s that reuse layers and KV in place.</li>
 *   <li>Parcae optimises {@link PlanObjective#MAX_LIVEPUT}: it forecasts availability from the
 *       {@link Availability} interruption rates and the events {@link #replan} has seen, scores configurations
 *       by {@link PlanPrediction#liveputTokensPerSecond()}, and re-plans every interval, keeping the first step
 *       of its look-ahead.</li>
 *   <li>Helix solves a max-flow MILP over the {@link Cluster}'s heterogeneous devices and {@link Link}s
 *       (capacities from bandwidth over {@link ModelDescription#activationBytesPerToken()}); each device's
 *       contiguous {@link LayerRange} becomes a one-device stage of one instance, ranges may repeat across
 *       stages, and the per-request route is its scheduler's.</li>
 *   <li>AlpaServe places several models of a {@link Workload}: it enumerates partitions of the devices into
 *       groups and each group's parallel configuration, then greedily adds model replicas — instances that
 *       share the group's devices — scored by the evaluator under {@link PlanObjective#MAX_SLO_ATTAINMENT}
 *       with the traffic's arrival CV.</li>
 *   <li>MuxServe colocates models on device meshes: instances that share device ids, each with a
 *       {@link InstancePlan#computeShare()} (its SM fraction) and a KV quota
 *       ({@link InstancePlan#kvCapacityTokens()}), placed greedily by marginal throughput.</li>
 *   <li>GraphPipe partitions a {@link ModelDescription#graph()} into a DAG of stages holding
 *       {@link GraphNodes}, so independent branches run side by side; for a chain it is ordinary pipeline
 *       parallelism.</li>
 *   <li>Galvatron picks the pipeline degree and, per layer, a strategy by dynamic programming over
 *       {@link ModelDescription#layerCost(int)} under each device's memory; consecutive layers with one
 *       strategy form a {@link StageAssignment} with its own {@link StageAssignment#tensorParallel()}.</li>
 *   <li>LoongServe fixes the instance granularity: one instance whose
 *       {@link InstancePlan#sequenceParallel()} is the number of elastic instances; the degree each iteration
 *       actually uses is its scheduler's decision.</li>
 *   <li>Proteus is not a planner but the {@link PlanEvaluator}: the simulator every planner above scores its
 *       candidates with.</li>
 * </ul>
 *
 * <p>Calls: the runtime (and the {@code plan} command) calls {@link #plan} at start-up and {@link #replan}
 * on every {@link ClusterEvent} and workload change, from one planning thread, never concurrently on one
 * instance and never on the serving path; a planner may keep state between calls (an availability
 * history). Planning may take seconds; solver-backed planners bound their own time through their settings.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface ParallelPlanner {

    /**
     * The planner's name, as selected by {@code gantry.planner}. Never null.
     *
     * @return the planner's name
     */
    String name();

    /**
     * Plans from scratch.
     *
     * @param problem   the models, cluster, workload, objective and budget; not null
     * @param evaluator the shared cost model to score candidates with; not null
     * @return a plan that passes {@link Plan#checkAgainst} for {@code problem}, carrying the evaluator's
     *         prediction; never null
     * @throws InfeasiblePlanException when no plan this planner can make fits the cluster or the budget; the
     *                                 message names the model and the memory or cost at fault
     */
    Plan plan(PlanningProblem problem, PlanEvaluator evaluator);

    /**
     * Plans again after a change, and says how to migrate. {@code problem} is already the problem after the
     * change — its cluster has lost and gained the devices the event names — and {@code event} says why
     * (SpotServe reads a notice's grace period; Parcae records the event in its history).
     *
     * <p>The default plans from scratch with {@link #plan} and computes the trivial migration,
     * {@link Migration#positional}: no device matching, weights of every moved position copied from a
     * surviving holder or loaded from storage, KV recomputed. Planners that match devices to keep state in
     * place (SpotServe) or that weigh migration cost in the new plan (Parcae) override it.
     *
     * @param problem   the problem as it stands after the event; not null
     * @param current   the plan running now; may name devices that are gone; not null
     * @param event     the change that triggered re-planning; not null
     * @param evaluator the shared cost model; not null
     * @return the new plan and the migration to it; never null
     * @throws InfeasiblePlanException when nothing can be planned on what is left
     */
    default Replan replan(PlanningProblem problem, Plan current, ClusterEvent event, PlanEvaluator evaluator) {
        Plan next = plan(problem, evaluator);
        return new Replan(next, Migration.positional(problem, current, next));
    }
}
