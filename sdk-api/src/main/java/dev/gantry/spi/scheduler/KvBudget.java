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

    /** Blocks needed to hold {@code tokens} tokens. */
    public int blocksFor(int tokens) {
        return (tokens + blockSize - 1) / blockSize;
    }

    /** Extra blocks a sequence holding {@code blocksHeld} blocks needs to grow to {@code tokens} tokens. */
    public int blocksToGrow(int blocksHeld, int tokens) {
        return Math.max(0, blocksFor(tokens) - blocksHeld);
    }

    /** Fraction of device blocks in use, 0 to 1. */
    public double usage() {
        return totalBlocks == 0 ? 0 : 1.0 - (double) freeBlocks / totalBlocks;
    }
}
