package dev.gantry.tck.scheduler;

/**
 * What a scheduler may do beyond the contract every scheduler keeps. A plugin declares the behaviours it has
 * (with the settings that turn each on, when it needs any); the kit checks that each declared behaviour works
 * and that an undeclared one is refused cleanly — never used, and not announced through
 * {@code Scheduler.preemptionModes()}.
 */
public enum SchedulerBehavior {

    /**
     * Frees KV blocks under memory pressure by preempting running sequences with {@code RECOMPUTE}. Checked: the
     * kit's tight workload makes it preempt that way, and every preempted request resumes and ends with exactly
     * the tokens it gets without preemption.
     */
    PREEMPTS_BY_RECOMPUTE,

    /**
     * Frees KV blocks by swapping running sequences to the host pool ({@code SWAP}). Checked as recompute, with
     * a host swap pool provisioned; the scheduler must list {@code SWAP} in {@code preemptionModes()}.
     */
    PREEMPTS_BY_SWAP,

    /**
     * Runs higher-priority requests first. Checked: when requests of different priorities wait together and one
     * sequence runs at a time, they are admitted in priority order (within a contention of a few hundred
     * steps, so a scheduler that ages waiting requests still qualifies).
     */
    PRIORITIES
}
