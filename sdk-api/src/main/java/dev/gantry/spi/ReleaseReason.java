package dev.gantry.spi;

/**
 * Why the engine tells a plugin to drop a sequence's state. After a release the sequence id is not
 * passed to the plugin again, except after {@link #PREEMPTED_RECOMPUTE}, when the same id returns and
 * is prefilled from scratch.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public enum ReleaseReason {
    /** Generation ended normally (stop condition, length limit). */
    FINISHED,
    /** The client cancelled the request, or it failed. */
    CANCELLED,
    /** Its KV was dropped to free memory; it will be recomputed later under the same id. */
    PREEMPTED_RECOMPUTE,
    /** Its progress was checkpointed and it moves to another instance. */
    MIGRATED
}
