package dev.gantry.engine.kv;

import org.junit.jupiter.api.Test;

import static dev.gantry.engine.kv.KvCacheFixture.*;
import static org.junit.jupiter.api.Assertions.*;

class CopySlotTest {

    @Test
    void movesKvTokenAndPosition() {
        try (var cache = f32Cache(4, 8, 0)) {
            SequenceBlocks s = cache.newSequence();
            assertTrue(cache.reserve(s, 12));
            // slots 6..11: a draft tree whose accepted path is 6 -> 9 -> 11 (positions 6, 7, 8)
            int[] positions = {0, 1, 2, 3, 4, 5, 6, 7, 7, 7, 8, 8};
            for (int slot = 0; slot < 12; slot++) {
                cache.appendSlot(s, 100 + slot, positions[slot]);
                write(cache, s, slot, slot);
            }
            cache.copySlot(s, 9, 7);
            cache.copySlot(s, 11, 8);
            cache.truncate(s, 9);
            assertEquals(109, s.tokenAt(7));
            assertEquals(111, s.tokenAt(8));
            assertEquals(7, s.position(7));
            assertEquals(8, s.position(8));
            assertHolds(cache, s, 6, 6);
            assertHolds(cache, s, 7, 9);
            assertHolds(cache, s, 8, 11);
            cache.commitFullBlocks(s);
            assertTrue(cache.isCached(s.blockAt(1)), "the settled path is a plain prefix again");
        }
    }

    @Test
    void copyingIntoASharedBlockCopiesTheBlockFirst() {
        try (var cache = f32Cache(4, 8, 0)) {
            int[] prompt = tokens(8, 1);
            SequenceBlocks a = cache.newSequence();
            appendTagged(cache, a, prompt, 0, 8, 0);
            cache.commitFullBlocks(a);
            SequenceBlocks b = cache.newSequence();
            assertEquals(4, cache.attachCachedPrefix(b, prompt, 8));
            appendTagged(cache, b, tokens(8, 50), 4, 8, 100);
            cache.copySlot(b, 6, 2);
            assertNotEquals(a.blockAt(0), b.blockAt(0));
            assertEquals(1, cache.stats().copyOnWriteCopies());
            assertHolds(cache, b, 2, 106);
            assertHolds(cache, b, 1, 1);
            assertEquals(56, b.tokenAt(2));
            for (int slot = 0; slot < 8; slot++) {
                assertHolds(cache, a, slot, slot);
            }
        }
    }
}
