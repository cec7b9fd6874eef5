package dev.gantry.engine.kv;

import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.Random;

import static dev.gantry.engine.kv.KvCacheFixture.*;
import static org.junit.jupiter.api.Assertions.*;

class SwapTest {

    private static byte[][] rawBytes(PagedKvCache cache, SequenceBlocks s, int blocks) {
        byte[][] out = new byte[blocks * cache.layers()][];
        for (int i = 0; i < blocks; i++) {
            for (int l = 0; l < cache.layers(); l++) {
                out[i * cache.layers() + l] = cache.block(l, s.blockAt(i)).toArray(ValueLayout.JAVA_BYTE);
            }
        }
        return out;
    }

    /** Fills every slot with random bits through the codec, as a forward pass would (F16 rounds them). */
    private static void fillRandom(PagedKvCache cache, SequenceBlocks s, int slots, long seed) {
        Random random = new Random(seed);
        assertTrue(cache.reserve(s, slots));
        float[] k = new float[KV_DIM];
        float[] v = new float[KV_DIM];
        PagedKvView view = new PagedKvView(cache);
        for (int i = 0; i < slots; i++) {
            int slot = cache.appendSlot(s, random.nextInt(1000), i);
            for (int l = 0; l < cache.layers(); l++) {
                for (int e = 0; e < KV_DIM; e++) {
                    k[e] = (float) random.nextGaussian();
                    v[e] = (float) random.nextGaussian();
                }
                view.bind(s, l).write(slot, k, 0, v, 0, slot);
            }
        }
    }

    private static void roundTripIsBitIdentical(String codecName) {
        long block = cache16BlockBytes(codecName);
        try (var cache = new PagedKvCache(codec(codecName, 16), LAYERS, KV_HEADS, HEAD_DIM,
                new KvCacheConfig(16, block * 4, block * 3, true))) {
            SequenceBlocks a = cache.newSequence();
            fillRandom(cache, a, 40, 7);
            cache.commitFullBlocks(a);
            byte[][] before = rawBytes(cache, a, 3);
            int[] tokens = new int[40];
            for (int i = 0; i < 40; i++) {
                tokens[i] = a.tokenAt(i);
            }

            assertTrue(cache.swapOut(a));
            assertTrue(a.isSwapped());
            assertEquals(0, cache.budget().hostFreeBlocks());
            assertEquals(4, cache.budget().freeBlocks());
            assertEquals(0, cache.stats().usedBlocks());
            assertEquals(2, cache.stats().cachedBlocks(), "a's registered blocks stay cached");
            assertEquals(40, a.length());
            assertEquals(tokens[39], a.tokenAt(39));
            assertThrows(IllegalStateException.class, () -> cache.reserve(a, 1));

            // Overwrite every device block while a waits on the host.
            SequenceBlocks other = cache.newSequence();
            fillRandom(cache, other, 64, 8);
            cache.free(other);

            assertTrue(cache.swapIn(a));
            assertFalse(a.isSwapped());
            assertEquals(3, cache.budget().hostFreeBlocks());
            assertArrayEquals(before, rawBytes(cache, a, 3));
            for (int i = 0; i < 40; i++) {
                assertEquals(tokens[i], a.tokenAt(i));
                assertEquals(i, a.position(i));
            }
            assertEquals(1, cache.stats().swapsOut());
            assertEquals(1, cache.stats().swapsIn());
        }
    }

    private static long cache16BlockBytes(String codecName) {
        return codecName.equals("f16") ? f32BlockBytes(16) / 2 : f32BlockBytes(16);
    }

    @Test
    void f32RoundTripIsBitIdentical() {
        roundTripIsBitIdentical("f32");
    }

    @Test
    void f16RoundTripIsBitIdentical() {
        roundTripIsBitIdentical("f16");
    }

    @Test
    void sharedBlocksComeBackAsPrivateCopies() {
        try (var cache = f32Cache(4, 8, 4)) {
            int[] prompt = tokens(10, 1);
            SequenceBlocks a = cache.newSequence();
            appendTagged(cache, a, prompt, 0, 10, 0);
            cache.commitFullBlocks(a);
            SequenceBlocks b = cache.newSequence();
            assertEquals(8, cache.attachCachedPrefix(b, prompt, 10));
            appendTagged(cache, b, tokens(12, 50), 8, 11, 300);
            assertTrue(cache.swapOut(b));
            assertEquals(1, cache.refCount(a.blockAt(0)));
            assertTrue(cache.swapIn(b));
            assertNotEquals(a.blockAt(0), b.blockAt(0));
            for (int slot = 0; slot < 11; slot++) {
                assertHolds(cache, b, slot, slot < 8 ? slot : 300 + slot);
            }
            cache.commitFullBlocks(b);
            assertFalse(cache.isCached(b.blockAt(0)), "a's copy of the same prefix stays the cached one");
        }
    }

    @Test
    void refusesWhenTheHostPoolOrTheDeviceLacksRoomChangingNothing() {
        try (var cache = f32Cache(4, 4, 2)) {
            SequenceBlocks big = cache.newSequence();
            appendTagged(cache, big, tokens(9, 1), 0, 9, 0);
            var budget = cache.budget();
            var stats = cache.stats();
            assertFalse(cache.swapOut(big), "3 blocks, 2 host blocks");
            assertFalse(big.isSwapped());
            assertEquals(budget, cache.budget());
            assertEquals(stats, cache.stats());
            for (int slot = 0; slot < 9; slot++) {
                assertHolds(cache, big, slot, slot);
            }
            cache.truncate(big, 8);
            assertTrue(cache.swapOut(big));

            SequenceBlocks filler = cache.newSequence();
            assertTrue(cache.reserve(filler, 12));
            budget = cache.budget();
            assertFalse(cache.swapIn(big), "one device block left, two needed");
            assertTrue(big.isSwapped());
            assertEquals(budget, cache.budget());
            cache.free(filler);
            assertTrue(cache.swapIn(big));
            for (int slot = 0; slot < 8; slot++) {
                assertHolds(cache, big, slot, slot);
            }
        }
        try (var noSwap = f32Cache(4, 4, 0)) {
            SequenceBlocks s = noSwap.newSequence();
            appendTagged(noSwap, s, tokens(3, 1), 0, 3, 0);
            assertFalse(noSwap.swapOut(s), "swapping is off");
        }
    }

    @Test
    void freeingASwappedSequenceReturnsItsHostBlocks() {
        try (var cache = f32Cache(4, 4, 4)) {
            SequenceBlocks s = cache.newSequence();
            appendTagged(cache, s, tokens(6, 1), 0, 6, 0);
            assertTrue(cache.swapOut(s));
            assertEquals(2, cache.budget().hostFreeBlocks());
            cache.free(s);
            assertEquals(4, cache.budget().hostFreeBlocks());
            assertFalse(s.isSwapped());
            assertEquals(0, s.length());
        }
    }
}
