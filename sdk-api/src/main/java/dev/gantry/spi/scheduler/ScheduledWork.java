package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;
import dev.gantry.spi.SequenceId;

import java.util.Objects;

/**
 * One sequence's share of a step: how many of its tokens to process. For a decoding sequence that is 1 (the
 * engine adds the draft tokens of speculation itself); for one in prefill it is the chunk size. A waiting
 * sequence listed here is admitted (its blocks allocated); a swapped one is swapped in first.
 *
 * @param sequence       the sequence
 * @param tokens         tokens to process this step (≥ 1)
 * @param parallelDegree instances the sequence's work is spread over (LoongServe's elastic sequence
 *                       parallelism); 1 on a single instance
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record ScheduledWork(SequenceId sequence, int tokens, int parallelDegree) {

    /**
     * Checks the work.
     *
     * @throws IllegalArgumentException when tokens or the parallel degree are not positive
     */
    public ScheduledWork {
        Objects.requireNonNull(sequence, "sequence");
        if (tokens < 1 || parallelDegree < 1) {
            throw new IllegalArgumentException(sequence + ": tokens " + tokens + " and parallel degree "
                    + parallelDegree + " must be positive");
        }
    }

    /**
     * Work on one instance.
     *
     * @param sequence the sequence
     * @param tokens   tokens to process this step (≥ 1)
     */
    public ScheduledWork(SequenceId sequence, int tokens) {
        this(sequence, tokens, 1);
    }
}
