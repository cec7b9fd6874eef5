package dev.gantry.engine.kv;

import org.junit.jupiter.api.Test;

import static dev.gantry.engine.kv.KvCacheFixture.*;
import static org.junit.jupiter.api.Assertions.*;

class EvictionOrderTest {

    @Test
    void freedCachedBlocksAreEvictedLeastRecentlyReleasedFirstTailBeforeHead() {
        try (var cache = f32Cache(4, 6, 0)) {
            int[] promptA = tokens(8, 1);
            int[] promptB = tokens(8, 100);
            SequenceBlocks a = cache.newSequence();
            SequenceBlocks b = cache.newSequence();
            appendTagged(cache, a, promptA, 0, 8, 0);
            appendTagged(cache, b, promptB, 0, 8, 100);
            cache.commitFullBlocks(a);
            cache.commitFullBlocks(b);
            int a0 = a.blockAt(0);
            int a1 = a.blockAt(1);
            int b0 = b.blockAt(0);
            int b1 = b.blockAt(1);
            cache.free(a);
            cache.free(b);
            assertArrayEquals(new int[] {a1, a0, b1, b0}, cache.evictionOrder());
            assertEquals(6, cache.budget().freeBlocks(), "cached blocks count as free for the scheduler");
            assertEquals(new KvCacheStats(6, 0, 2, 4, 0, 4.0 / 6, 0, 0, 0, 0, 0, 0), cache.stats());

            SequenceBlocks c = cache.newSequence();
            assertTrue(cache.reserve(c, 16), "two free blocks, then two evictions");
            assertArrayEquals(new int[] {b1, b0}, cache.evictionOrder());
            assertEquals(2, cache.stats().evictions());
            assertFalse(cache.isCached(a0));
            assertFalse(cache.isCached(a1));

            assertEquals(0, cache.attachCachedPrefix(cache.newSequence(), promptA, 8), "A's head was evicted");
            SequenceBlocks d = cache.newSequence();
            assertEquals(4, cache.attachCachedPrefix(d, promptB, 8));
            assertEquals(b0, d.blockAt(0));
            assertArrayEquals(new int[] {b1}, cache.evictionOrder(), "a hit takes the block out of the LRU");
            assertHolds(cache, d, 3, 103);
            cache.free(d);
            assertArrayEquals(new int[] {b1, b0}, cache.evictionOrder(), "released again: most recent last");

            assertFalse(cache.reserve(c, 25), "7 blocks never fit in 6");
            assertArrayEquals(new int[] {b1, b0}, cache.evictionOrder(), "a failed reservation evicts nothing");
        }
    }
}
