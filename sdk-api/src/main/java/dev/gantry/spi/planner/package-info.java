/**
 * The {@link dev.gantry.spi.planner.ParallelPlanner} extension point: how models are placed on a cluster.
 *
 * <p>A planner reads a {@link dev.gantry.spi.planner.PlanningProblem} (models, devices and links, traffic,
 * an objective) and returns a {@link dev.gantry.spi.planner.Plan}: serving instances, each with its devices,
 * parallel degrees, the layers of each stage and its batch limits, plus a
 * {@link dev.gantry.spi.planner.PlanPrediction}. Every planner scores its candidates with the
 * {@link dev.gantry.spi.planner.PlanEvaluator} it is handed, so plans from different planners are comparable
 * on one workload. On a {@link dev.gantry.spi.ClusterEvent} the runtime asks for a
 * {@link dev.gantry.spi.planner.Replan}: a new plan and the {@link dev.gantry.spi.planner.Migration} that
 * gets there from the current one.
 *
 * <p>Units throughout: bytes, seconds, FLOPs, tokens, requests; rates are per second unless a name says
 * otherwise ({@code pricePerHour}, {@code interruptionsPerHour}). Records validate their arguments and copy
 * their lists, so every value here is immutable and safe to share between threads.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
package dev.gantry.spi.planner;

import dev.gantry.spi.Api;
