package dev.gantry.engine.kv;

/**
 * How big the paged KV cache is and how it behaves, fixed when the engine starts. Kept apart from the cache so
 * the runtime can build it from {@code gantry.kv.*} settings without knowing the cache's internals.
 *
 * @param blockSize         tokens per block (16 by default, as vLLM)
 * @param deviceBudgetBytes bytes for all blocks of all layers; must hold at least one block
 * @param hostSwapBytes     bytes of the host pool that sequences preempted by swap are copied to; 0 turns
 *                          swapping off
 * @param prefixCaching     whether full blocks are shared between sequences with the same token prefix
 *                          (on by default)
 */
public record KvCacheConfig(int blockSize, long deviceBudgetBytes, long hostSwapBytes, boolean prefixCaching) {

    /** Tokens per block when none is configured. */
    public static final int DEFAULT_BLOCK_SIZE = 16;

    public KvCacheConfig {
        if (blockSize < 1 || deviceBudgetBytes < 0 || hostSwapBytes < 0) {
            throw new IllegalArgumentException("invalid KV cache config: blockSize " + blockSize
                    + ", deviceBudgetBytes " + deviceBudgetBytes + ", hostSwapBytes " + hostSwapBytes);
        }
    }

    /** The defaults around a device budget: blocks of 16 tokens, no swapping, prefix caching on. */
    public static KvCacheConfig of(long deviceBudgetBytes) {
        return new KvCacheConfig(DEFAULT_BLOCK_SIZE, deviceBudgetBytes, 0, true);
    }

    /** This configuration with another host swap budget. */
    public KvCacheConfig withHostSwapBytes(long bytes) {
        return new KvCacheConfig(blockSize, deviceBudgetBytes, bytes, prefixCaching);
    }

    /** This configuration with prefix caching turned on or off. */
    public KvCacheConfig withPrefixCaching(boolean enabled) {
        return new KvCacheConfig(blockSize, deviceBudgetBytes, hostSwapBytes, enabled);
    }

    /** This configuration with another block size. */
    public KvCacheConfig withBlockSize(int tokens) {
        return new KvCacheConfig(tokens, deviceBudgetBytes, hostSwapBytes, prefixCaching);
    }
}
