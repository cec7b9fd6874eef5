/**
 * The scheduler kit: {@link dev.gantry.tck.scheduler.SchedulerContractTest} to extend,
 * {@link dev.gantry.tck.scheduler.SchedulerKit} to run workloads, {@link dev.gantry.tck.scheduler.SchedulerRun}
 * with the recorded {@link dev.gantry.tck.scheduler.SchedulerEvent}s, and the
 * {@link dev.gantry.tck.scheduler.SchedulerBehavior} flags.
 */
package dev.gantry.tck.scheduler;
