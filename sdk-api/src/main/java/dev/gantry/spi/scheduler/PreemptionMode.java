package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;

/**
 * How a running sequence gives up its KV blocks. Either way its output is exactly what it would have been
 * without preemption.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public enum PreemptionMode {
    /** Copy its blocks to the bounded host pool and back later (FastServe's proactive swapping). */
    SWAP,
    /** Drop its blocks and prefill its prompt and generated tokens again later. */
    RECOMPUTE
}
