/**
 * The parallel-planner kit: {@link dev.gantry.tck.planner.ParallelPlannerContractTest} to extend,
 * {@link dev.gantry.tck.planner.PlannerKit} to pose {@link dev.gantry.tck.planner.PlanningProblems}, and the
 * {@link dev.gantry.tck.planner.PlannerBehavior} flags.
 */
package dev.gantry.tck.planner;
