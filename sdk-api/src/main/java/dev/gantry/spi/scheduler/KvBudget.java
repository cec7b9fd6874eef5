package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;

/**
 * The KV memory a step may use, read-only. Running out of blocks is an ordinary situation the scheduler
 * answers with preemptions, never an error.
 *
 * @param blockSize       tokens per block
 * @param totalBlocks     device blocks in all
 * @param freeBlocks      device blocks free now (evictable prefix-cache blocks count as free)
 * @param hostTotalBlocks blocks in the host swap pool (0 when swapping is off)
 * @param hostFreeBlocks  free blocks in the host swap pool
 * @param bytesPerBlock   device bytes of one block, all layers
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record KvBudget(int blockSize, int totalBlocks, int freeBlocks, int hostTotalBlocks, int hostFreeBlocks,
                       long bytesPerBlock) {

    /**
     * Blocks needed to hold {@code tokens} tokens.
     *
     * @param tokens tokens to hold
     * @return the blocks
     */
    public int blocksFor(int tokens) {
        return (tokens + blockSize - 1) / blockSize;
    }

    /**
     * Extra blocks a sequence holding {@code blocksHeld} blocks needs to grow to {@code tokens} tokens.
     *
     * @param blocksHeld blocks the sequence holds
     * @param tokens     tokens it will hold
     * @return the extra blocks
     */
    public int blocksToGrow(int blocksHeld, int tokens) {
        return Math.max(0, blocksFor(tokens) - blocksHeld);
    }

    /**
     * Device blocks {@code sequence} needs to process {@code tokens} more tokens this step, whatever its phase: a
     * running sequence grows from the blocks it holds; a waiting one (new, or preempted by recompute) is placed
     * from its first slot; a swapped one needs its swapped-out blocks back on the device, and room to grow. This
     * is what the engine must find free, and what the TCK holds plans to. A prefix-cache hit, known only once a waiting
     * sequence is admitted, can make the real need smaller.
     *
     * @param sequence the sequence, as the step's view shows it
     * @param tokens   tokens the plan gives it (1 for a decoding sequence)
     * @return blocks that must be free, or freed by the plan's preemptions, for the work to run
     * @since 0.1
     */
    public int blocksNeeded(SequenceState sequence, int tokens) {
        int upTo = sequence.computedTokens() + tokens;
        return switch (sequence.phase()) {
            case RUNNING -> blocksToGrow(sequence.blocksHeld(), upTo);
            case WAITING -> blocksFor(upTo);
            case SWAPPED -> Math.max(sequence.blocksHeld(), blocksFor(upTo));
        };
    }

    /** {@return fraction of device blocks in use, 0 to 1} */
    public double usage() {
        return totalBlocks == 0 ? 0 : 1.0 - (double) freeBlocks / totalBlocks;
    }
}
