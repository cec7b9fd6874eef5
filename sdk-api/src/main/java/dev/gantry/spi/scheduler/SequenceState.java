package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;
import dev.gantry.spi.SequenceId;

import java.util.Objects;

/**
 * One sequence as the scheduler sees it at the start of a step. A snapshot: the engine builds new ones each
 * step.
 *
 * @param id               the sequence
 * @param model            the served model it belongs to (several in one process under MuxServe)
 * @param kind             inference or finetuning work
 * @param phase            waiting, running or swapped
 * @param promptTokens     tokens of its prompt
 * @param computedTokens   tokens whose KV is computed (prompt and generated); below {@code promptTokens}
 *                         while prefill is unfinished
 * @param generatedTokens  tokens generated so far
 * @param maxNewTokens     the most tokens it may generate
 * @param arrivalNanos     when it was admitted, on the {@link SchedulerView#nowNanos()} clock
 * @param priority         larger runs first under priority-aware policies; 0 by default
 * @param deadlineNanos    a deadline on the same clock, or {@link Long#MAX_VALUE} when none
 * @param blocksHeld       KV blocks it holds: on the device while running, in the host pool while swapped (as many
 *                         device blocks as swapping it back in takes); 0 while waiting
 * @param cachedPrefixTokens prompt tokens whose KV the prefix cache already holds (no compute needed)
 * @param preemptions      how many times it was preempted so far
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record SequenceState(SequenceId id, String model, WorkKind kind, SequencePhase phase, int promptTokens,
                            int computedTokens, int generatedTokens, int maxNewTokens, long arrivalNanos,
                            int priority, long deadlineNanos, int blocksHeld, int cachedPrefixTokens,
                            int preemptions) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException when an object component is null
     */
    public SequenceState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(phase, "phase");
    }

    /** {@return total tokens of the sequence so far (prompt plus generated)} */
    public int totalTokens() {
        return promptTokens + generatedTokens;
    }

    /** {@return tokens whose KV must still be computed before it can decode} */
    public int tokensToPrefill() {
        return Math.max(0, totalTokens() - computedTokens - (generatedTokens > 0 ? 1 : 0));
    }

    /** {@return whether it has finished prefill and generates one token per step} */
    public boolean isDecoding() {
        return tokensToPrefill() == 0;
    }
}
