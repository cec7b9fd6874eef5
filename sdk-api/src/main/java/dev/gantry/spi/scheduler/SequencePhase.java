package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;

/**
 * Where a sequence is, as the scheduler sees it at the start of a step.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public enum SequencePhase {
    /** Admitted but holding no KV (new, or preempted by recompute). */
    WAITING,
    /** Holding KV on the device; may be mid-prefill or decoding. */
    RUNNING,
    /** Its KV was copied to the host swap pool; must be swapped in before it runs again. */
    SWAPPED
}
