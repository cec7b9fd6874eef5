package dev.gantry.engine.kv;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.gantry.engine.kv.KvCacheFixture.*;
import static org.junit.jupiter.api.Assertions.*;

class PrefixCachingTest {

    /** 40 shared tokens, then ten of each sequence's own. */
    private static int[] prompt(int ownFirst) {
        int[] t = Arrays.copyOf(tokens(40, 1), 50);
        System.arraycopy(tokens(10, ownFirst), 0, t, 40, 10);
        return t;
    }

    @Test
    void sequencesWithACommonPrefixShareItsFullBlocks() {
        try (var cache = f32Cache(16, 16, 0)) {
            int[] promptA = prompt(500);
            int[] promptB = prompt(700);
            SequenceBlocks a = cache.newSequence();
            assertEquals(0, cache.attachCachedPrefix(a, promptA, 50), "nothing cached yet");
            appendTagged(cache, a, promptA, 0, 50, 1000);
            cache.commitFullBlocks(a);

            SequenceBlocks b = cache.newSequence();
            assertEquals(32, cache.attachCachedPrefix(b, promptB, 50));
            assertEquals(2, b.blockCount());
            for (int i = 0; i < 2; i++) {
                assertEquals(a.blockAt(i), b.blockAt(i));
                assertEquals(2, cache.refCount(a.blockAt(i)));
            }
            assertEquals(1, cache.refCount(a.blockAt(2)), "tokens differ from 40 on: block 2 is A's alone");
            for (int slot = 0; slot < 32; slot++) {
                assertEquals(promptB[slot], b.tokenAt(slot));
                assertEquals(slot, b.position(slot));
            }
            appendTagged(cache, b, promptB, 32, 50, 2000);
            cache.commitFullBlocks(b);
            assertNotEquals(a.blockAt(2), b.blockAt(2));

            KvCacheStats stats = cache.stats();
            assertEquals(100, stats.prefixQueryTokens());
            assertEquals(32, stats.prefixHitTokens());
            assertEquals(0.32, stats.prefixHitRate(), 1e-9);
            assertEquals(6, stats.usedBlocks(), "4 blocks each, 2 of them shared");
            for (int slot = 0; slot < 50; slot++) {
                assertHolds(cache, a, slot, 1000 + slot);
                assertHolds(cache, b, slot, slot < 32 ? 1000 + slot : 2000 + slot);
            }
        }
    }

    @Test
    void neverAttachesEveryToken() {
        try (var cache = f32Cache(16, 16, 0)) {
            int[] prompt = tokens(64, 1);
            SequenceBlocks a = cache.newSequence();
            appendTagged(cache, a, prompt, 0, 64, 0);
            cache.commitFullBlocks(a);
            int[][] expected = {{16, 0}, {17, 16}, {32, 16}, {33, 32}, {48, 32}, {49, 48}, {64, 48}, {0, 0}};
            for (int[] e : expected) {
                SequenceBlocks s = cache.newSequence();
                assertEquals(e[1], cache.attachCachedPrefix(s, prompt, e[0]), "attached of " + e[0] + " tokens");
                assertEquals(e[1], s.length());
                cache.free(s);
            }
        }
    }

    @Test
    void aDifferentFirstBlockMatchesNothingAfterIt() {
        try (var cache = f32Cache(4, 16, 0)) {
            int[] prompt = tokens(12, 1);
            SequenceBlocks a = cache.newSequence();
            appendTagged(cache, a, prompt, 0, 12, 0);
            cache.commitFullBlocks(a);
            int[] other = prompt.clone();
            other[0] = 99;
            assertEquals(0, cache.attachCachedPrefix(cache.newSequence(), other, 12),
                    "blocks 1 and 2 have equal tokens but another parent");
        }
    }

    @Test
    void draftTreePositionsStopRegistration() {
        try (var cache = f32Cache(4, 16, 0)) {
            SequenceBlocks a = cache.newSequence();
            assertTrue(cache.reserve(a, 12));
            for (int slot = 0; slot < 12; slot++) {
                // slots 5 and 6 are siblings in a draft tree: both at position 5
                cache.appendSlot(a, slot, slot <= 5 ? slot : slot - 1);
            }
            cache.commitFullBlocks(a);
            assertTrue(cache.isCached(a.blockAt(0)));
            assertFalse(cache.isCached(a.blockAt(1)));
            assertFalse(cache.isCached(a.blockAt(2)), "nothing after an unsettled block is registered");
        }
    }

    @Test
    void contentAlreadyCachedElsewhereStaysPrivate() {
        try (var cache = f32Cache(4, 16, 0)) {
            int[] prompt = tokens(8, 1);
            SequenceBlocks a = cache.newSequence();
            SequenceBlocks b = cache.newSequence();
            appendTagged(cache, a, prompt, 0, 8, 0);
            appendTagged(cache, b, prompt, 0, 8, 100);
            cache.commitFullBlocks(a);
            cache.commitFullBlocks(b);
            assertTrue(cache.isCached(a.blockAt(0)));
            assertFalse(cache.isCached(b.blockAt(0)));
            SequenceBlocks c = cache.newSequence();
            assertEquals(8, cache.attachCachedPrefix(c, tokens(9, 1), 9));
            assertEquals(a.blockAt(1), c.blockAt(1));
            assertHolds(cache, c, 5, 5);
        }
    }

    @Test
    void turnedOffItNeitherMatchesNorCounts() {
        long block = f32BlockBytes(4);
        try (var cache = new PagedKvCache(codec("f32", 4), LAYERS, KV_HEADS, HEAD_DIM,
                new KvCacheConfig(4, block * 8, 0, false))) {
            int[] prompt = tokens(12, 1);
            SequenceBlocks a = cache.newSequence();
            appendTagged(cache, a, prompt, 0, 12, 0);
            cache.commitFullBlocks(a);
            assertFalse(cache.isCached(a.blockAt(0)));
            assertEquals(0, cache.attachCachedPrefix(cache.newSequence(), prompt, 12));
            assertEquals(0, cache.stats().prefixQueryTokens());
            cache.free(a);
            assertEquals(8, cache.stats().freeBlocks());
        }
    }

    @Test
    void onlyAnEmptySequenceTakesAPrefix() {
        try (var cache = f32Cache(4, 8, 0)) {
            SequenceBlocks a = cache.newSequence();
            assertTrue(cache.reserve(a, 1));
            assertThrows(IllegalStateException.class, () -> cache.attachCachedPrefix(a, tokens(8, 1), 8));
        }
    }

    @Test
    void prefixKeysCompareEveryTokenOfTheChain() {
        int[] t = tokens(8, 1);
        PrefixKey first = PrefixKey.of(null, t, 0, 4);
        PrefixKey second = PrefixKey.of(first, t, 4, 4);
        PrefixKey sameSecond = PrefixKey.of(PrefixKey.of(null, t.clone(), 0, 4), t, 4, 4);
        int[] u = t.clone();
        u[1] = 42;
        PrefixKey otherParent = PrefixKey.of(PrefixKey.of(null, u, 0, 4), t, 4, 4);
        assertEquals(second, sameSecond);
        assertEquals(second.hashCode(), sameSecond.hashCode());
        assertNotEquals(second, otherParent);
        assertNotEquals(second, PrefixKey.of(null, t, 4, 4), "same tokens at depth 1 and 2");
        assertEquals(2, second.depth());
    }

    @Test
    void equalHashesAloneNeverMakeEqualKeys() {
        PrefixKey parentA = new PrefixKey(null, new int[] {1, 2}, 5);
        PrefixKey parentB = new PrefixKey(null, new int[] {1, 3}, 5);
        PrefixKey childA = new PrefixKey(parentA, new int[] {7, 8}, 9);
        PrefixKey childB = new PrefixKey(parentB, new int[] {7, 8}, 9);
        assertNotEquals(parentA, parentB, "same hash, other tokens");
        assertNotEquals(childA, childB, "same hash and tokens, parents differ in their tokens");
        assertNotEquals(childA, new PrefixKey(null, new int[] {7, 8}, 9), "same hash and tokens, no parent");
        assertEquals(childA, new PrefixKey(new PrefixKey(null, new int[] {1, 2}, 5), new int[] {7, 8}, 9));
    }
}
