package dev.gantry.engine.kv;

import org.junit.jupiter.api.Test;

import static dev.gantry.engine.kv.KvCacheFixture.*;
import static org.junit.jupiter.api.Assertions.*;

class CopyOnWriteTest {

    @Test
    void writingIntoASharedBlockCopiesItFirst() {
        try (var cache = f32Cache(16, 8, 0)) {
            int[] prompt = tokens(40, 1);
            SequenceBlocks a = cache.newSequence();
            appendTagged(cache, a, prompt, 0, 40, 1000);
            cache.commitFullBlocks(a);
            SequenceBlocks b = cache.newSequence();
            assertEquals(32, cache.attachCachedPrefix(b, prompt, 40));
            int shared = a.blockAt(1);

            cache.truncate(b, 20);
            assertEquals(shared, b.blockAt(1), "truncating alone copies nothing");
            assertTrue(cache.reserve(b, 4));
            assertNotEquals(shared, b.blockAt(1));
            assertEquals(a.blockAt(0), b.blockAt(0), "the block before is still shared");
            assertEquals(1, cache.refCount(shared));
            assertEquals(1, cache.stats().copyOnWriteCopies());
            int[] own = tokens(4, 900);
            for (int i = 0; i < 4; i++) {
                int slot = cache.appendSlot(b, own[i], 20 + i);
                write(cache, b, slot, 2000 + slot);
            }
            for (int slot = 0; slot < 40; slot++) {
                assertHolds(cache, a, slot, 1000 + slot);
            }
            for (int slot = 0; slot < 24; slot++) {
                assertHolds(cache, b, slot, slot < 20 ? 1000 + slot : 2000 + slot);
            }
        }
    }

    @Test
    void aCachedBlockHeldByOneSequenceIsCopiedSoTheCacheStaysValid() {
        try (var cache = f32Cache(4, 8, 0)) {
            int[] prompt = tokens(8, 1);
            SequenceBlocks a = cache.newSequence();
            appendTagged(cache, a, prompt, 0, 8, 0);
            cache.commitFullBlocks(a);
            int cached = a.blockAt(1);
            cache.truncate(a, 6);
            assertTrue(cache.reserve(a, 1));
            assertNotEquals(cached, a.blockAt(1));
            assertTrue(cache.isCached(cached));
            assertEquals(0, cache.refCount(cached));
            assertArrayEquals(new int[] {cached}, cache.evictionOrder());
            int slot = cache.appendSlot(a, 77, 6);
            write(cache, a, slot, 500);
            cache.commitFullBlocks(a);

            SequenceBlocks b = cache.newSequence();
            assertEquals(8, cache.attachCachedPrefix(b, tokens(9, 1), 9));
            assertEquals(cached, b.blockAt(1));
            for (int s = 0; s < 8; s++) {
                assertHolds(cache, b, s, s);
            }
            assertHolds(cache, a, 6, 500);
        }
    }

    @Test
    void withNoBlockLeftTheOnlyHolderWritesInPlaceAndForgetsThePrefix() {
        try (var cache = f32Cache(4, 2, 0)) {
            int[] prompt = tokens(8, 1);
            SequenceBlocks a = cache.newSequence();
            appendTagged(cache, a, prompt, 0, 8, 0);
            cache.commitFullBlocks(a);
            int block = a.blockAt(1);
            cache.truncate(a, 6);
            assertTrue(cache.reserve(a, 2));
            assertEquals(block, a.blockAt(1));
            assertFalse(cache.isCached(block));
            assertEquals(0, cache.stats().copyOnWriteCopies());
            cache.appendSlot(a, 50, 6);
            SequenceBlocks b = cache.newSequence();
            assertEquals(4, cache.attachCachedPrefix(b, tokens(9, 1), 9), "only the first block is still cached");
        }
    }

    @Test
    void aSharedBlockWithNoRoomToCopyFailsTheReservation() {
        try (var cache = f32Cache(4, 2, 0)) {
            int[] prompt = tokens(8, 1);
            SequenceBlocks a = cache.newSequence();
            appendTagged(cache, a, prompt, 0, 8, 0);
            cache.commitFullBlocks(a);
            SequenceBlocks b = cache.newSequence();
            assertEquals(4, cache.attachCachedPrefix(b, prompt, 8));
            cache.truncate(b, 2);
            var budget = cache.budget();
            assertFalse(cache.reserve(b, 1));
            assertEquals(budget, cache.budget());
            assertEquals(a.blockAt(0), b.blockAt(0));
            assertThrows(IllegalStateException.class, () -> cache.appendSlot(b, 5, 2),
                    "appending into a shared block without a reservation is refused");
        }
    }
}
