package dev.gantry.engine.kv;

/**
 * Hands out device block ids and takes them back, with a reference count per block so sequences can share
 * prefix blocks. Every block is in exactly one state:
 * <ul>
 *   <li><b>used</b>: held by at least one sequence ({@code refCount > 0}), perhaps registered in the prefix
 *       cache;</li>
 *   <li><b>cached</b>: held by none but registered, so a later prefix hit can revive it; kept in the
 *       {@link EvictableBlockList}, the least recently released evicted first when free blocks run out;</li>
 *   <li><b>free</b>: held by none and unregistered, on the {@link FreeBlockStack}.</li>
 * </ul>
 * Knows nothing about sequences, layers or memory; the counterpart of vLLM's block pool.
 */
final class BlockAllocator {

    private final int totalBlocks;
    private final int[] refCounts;
    private final FreeBlockStack free;
    private final EvictableBlockList evictable;
    private final PrefixCacheIndex prefixes;
    private int usedBlocks;
    private int peakUsedBlocks;
    private long evictions;

    BlockAllocator(int totalBlocks) {
        this.totalBlocks = totalBlocks;
        this.refCounts = new int[totalBlocks];
        this.free = new FreeBlockStack(totalBlocks, totalBlocks);
        this.evictable = new EvictableBlockList(totalBlocks);
        this.prefixes = new PrefixCacheIndex(totalBlocks);
    }

    int totalBlocks() {
        return totalBlocks;
    }

    /** Blocks an allocation can take now: free ones plus cached ones it may evict. */
    int available() {
        return free.size() + evictable.size();
    }

    int freeBlocks() {
        return free.size();
    }

    int cachedBlocks() {
        return evictable.size();
    }

    int usedBlocks() {
        return usedBlocks;
    }

    int peakUsedBlocks() {
        return peakUsedBlocks;
    }

    long evictions() {
        return evictions;
    }

    int refCount(int block) {
        return refCounts[block];
    }

    PrefixCacheIndex prefixes() {
        return prefixes;
    }

    /**
     * A block held once by the caller: a free one if any, else the least recently released cached one, whose
     * prefix is forgotten. Returns -1 when neither exists.
     */
    int allocate() {
        int block;
        if (!free.isEmpty()) {
            block = free.pop();
        } else if (!evictable.isEmpty()) {
            block = evictable.removeFirst();
            prefixes.unregister(block);
            evictions++;
        } else {
            return -1;
        }
        refCounts[block] = 1;
        countUsed();
        return block;
    }

    /** One more holder of a used or cached block (a prefix hit). */
    void retain(int block) {
        if (refCounts[block] == 0) {
            if (!evictable.contains(block)) {
                throw new IllegalStateException("block " + block + " is free; only used or cached blocks are shared");
            }
            evictable.remove(block);
            countUsed();
        }
        refCounts[block]++;
    }

    /**
     * One holder fewer. The last release keeps a registered block as cached (most recently released) and
     * returns any other to the free stack.
     */
    void release(int block) {
        if (refCounts[block] <= 0) {
            throw new IllegalStateException("block " + block + " released more often than held");
        }
        if (--refCounts[block] == 0) {
            usedBlocks--;
            if (prefixes.isRegistered(block)) {
                evictable.addLast(block);
            } else {
                free.push(block);
            }
        }
    }

    /** Whether a holder may write into {@code block} in place: nobody else holds it and no prefix is kept in it. */
    boolean isPrivate(int block) {
        return refCounts[block] == 1 && !prefixes.isRegistered(block);
    }

    private void countUsed() {
        usedBlocks++;
        peakUsedBlocks = Math.max(peakUsedBlocks, usedBlocks);
    }

    /** The free stack, bottom to top (tests). */
    int[] freeBlockIds() {
        return free.toArray();
    }

    /** The cached blocks, next to be evicted first (tests). */
    int[] evictionOrder() {
        return evictable.toArray();
    }
}
