package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;
import dev.gantry.spi.SequenceId;

import java.util.Objects;

/**
 * A running sequence the step takes KV blocks from.
 *
 * @param sequence the sequence
 * @param mode     swap to host or recompute later
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record Preemption(SequenceId sequence, PreemptionMode mode) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException when either is null
     */
    public Preemption {
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(mode, "mode");
    }
}
