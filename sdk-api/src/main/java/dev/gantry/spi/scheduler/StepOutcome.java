package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;

import java.util.List;

/**
 * What the engine reports back after running a {@link StepPlan}: per-sequence progress and the step's
 * duration, so that policies can learn (FastServe's queue demotion, LoongServe's fitted step-time model).
 *
 * @param stepNanos duration of the step's forward pass and sampling, in nanoseconds
 * @param progress  one entry per sequence that ran
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record StepOutcome(long stepNanos, List<SequenceProgress> progress) {

    /** Copies the progress list. */
    public StepOutcome {
        progress = List.copyOf(progress);
    }
}
