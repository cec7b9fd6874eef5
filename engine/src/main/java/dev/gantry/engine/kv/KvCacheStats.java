package dev.gantry.engine.kv;

/**
 * A snapshot of the paged KV cache's occupancy and counters, for metrics ({@code kv_cache_usage_perc},
 * {@code prefix_cache_queries}/{@code _hits}, as vLLM names them) and for logs. Every block is exactly one of
 * used, free or cached, so {@code usedBlocks + freeBlocks + cachedBlocks == totalBlocks}.
 *
 * @param totalBlocks           device blocks in all
 * @param usedBlocks            blocks held by at least one sequence
 * @param freeBlocks            blocks holding nothing worth keeping
 * @param cachedBlocks          blocks no sequence holds that keep a prefix for later hits; evicted, oldest
 *                              first, when free blocks run out
 * @param usage                 {@code usedBlocks / totalBlocks}, 0 to 1 (cached blocks count as available)
 * @param peakUsage             the highest {@link #usage} since the cache was created
 * @param prefixQueryTokens     tokens looked up in the prefix cache
 * @param prefixHitTokens       of those, tokens found (their KV was not computed again)
 * @param evictions             cached blocks reused for other content
 * @param copyOnWriteCopies     blocks copied because a sequence was about to write into a shared or cached one
 * @param swapsOut              sequences copied to the host pool
 * @param swapsIn               sequences copied back from the host pool
 */
public record KvCacheStats(int totalBlocks, int usedBlocks, int freeBlocks, int cachedBlocks, double usage,
                           double peakUsage, long prefixQueryTokens, long prefixHitTokens, long evictions,
                           long copyOnWriteCopies, long swapsOut, long swapsIn) {

    /** Fraction of queried tokens found in the prefix cache, 0 when nothing was queried. */
    public double prefixHitRate() {
        return prefixQueryTokens == 0 ? 0 : (double) prefixHitTokens / prefixQueryTokens;
    }
}
