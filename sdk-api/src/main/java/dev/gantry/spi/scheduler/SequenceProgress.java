package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;
import dev.gantry.spi.SequenceId;

/**
 * What one step did for one sequence.
 *
 * @param sequence        the sequence
 * @param tokensProcessed tokens whose KV the step computed (prefill chunk, or accepted drafts plus one)
 * @param tokensEmitted   new output tokens (0 during prefill, more than 1 with accepted speculation)
 * @param finished        whether the sequence ended in this step
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record SequenceProgress(SequenceId sequence, int tokensProcessed, int tokensEmitted, boolean finished) {
}
