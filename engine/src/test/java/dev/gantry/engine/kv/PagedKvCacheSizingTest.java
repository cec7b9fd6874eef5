package dev.gantry.engine.kv;

import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvCodecSpec;
import dev.gantry.spi.kv.KvLayout;
import dev.gantry.spi.scheduler.KvBudget;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static dev.gantry.engine.kv.KvCacheFixture.*;
import static org.junit.jupiter.api.Assertions.*;

class PagedKvCacheSizingTest {

    @Test
    void sizesBlocksFromTheCodecSummedOverLayers() {
        long block = f32BlockBytes(16);
        assertEquals(2L * 2 * 8 * 4 * 16, block, "2 layers × (keys + values) × kvDim 8 × 4 bytes × 16 tokens");
        try (var cache = new PagedKvCache(codec("f32", 16), LAYERS, KV_HEADS, HEAD_DIM,
                new KvCacheConfig(16, block * 10 + block - 1, block * 3, true))) {
            KvBudget budget = cache.budget();
            assertEquals(new KvBudget(16, 10, 10, 3, 3, block), budget);
            assertEquals(block, cache.bytesPerBlock());
            assertEquals(block / 2, cache.block(1, 9).byteSize(), "one layer's share of a block");
            assertEquals(new KvLayout(1, LAYERS, KV_HEADS, HEAD_DIM, 16), cache.layout(1));
        }
        try (var half = new PagedKvCache(codec("f16", 16), LAYERS, KV_HEADS, HEAD_DIM, KvCacheConfig.of(block))) {
            assertEquals(2, half.budget().totalBlocks(), "F16 blocks are half the size");
            assertEquals(0, half.budget().hostTotalBlocks(), "no swap pool by default");
        }
    }

    @Test
    void refusesABudgetThatCannotHoldOneBlock() {
        long block = f32BlockBytes(16);
        var e = assertThrows(IllegalArgumentException.class, () -> new PagedKvCache(codec("f32", 16), LAYERS,
                KV_HEADS, HEAD_DIM, KvCacheConfig.of(block - 1)));
        assertTrue(e.getMessage().contains(String.valueOf(block - 1)) && e.getMessage().contains(block + " bytes"),
                e.getMessage());
        var host = assertThrows(IllegalArgumentException.class, () -> new PagedKvCache(codec("f32", 16), LAYERS,
                KV_HEADS, HEAD_DIM, KvCacheConfig.of(block).withHostSwapBytes(block / 2)));
        assertTrue(host.getMessage().contains("host swap budget of " + block / 2), host.getMessage());
    }

    @Test
    void refusesCodecsDeclaringWindowsOrGroups() {
        KVCodec f32 = codec("f32", 16);
        KVCodec windowed = new KVCodec() {
            public String name() {
                return "windowed";
            }

            public KvCodecSpec spec(KvLayout layout) {
                return new KvCodecSpec(f32.spec(layout).bytesPerToken(), 0, 4, 32, 1, false);
            }

            public void encode(KvLayout layout, MemorySegment block, int firstSlot, int count, float[] keys,
                               int keyOffset, float[] values, int valueOffset, int[] positions, int positionOffset) {
                f32.encode(layout, block, firstSlot, count, keys, keyOffset, values, valueOffset, positions,
                        positionOffset);
            }

            public void decodeKey(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst, int off) {
                f32.decodeKey(layout, block, slot, kvHead, dst, off);
            }

            public void decodeValue(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst,
                                    int off) {
                f32.decodeValue(layout, block, slot, kvHead, dst, off);
            }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> new PagedKvCache(windowed, LAYERS, KV_HEADS,
                HEAD_DIM, KvCacheConfig.of(1 << 20)));
        assertTrue(e.getMessage().contains("windowed"), e.getMessage());
    }

    @Test
    void reserveAllocatesWholeBlocksAndFailsWithoutChangingAnything() {
        try (var cache = f32Cache(16, 4, 0)) {
            SequenceBlocks a = cache.newSequence();
            assertTrue(cache.reserve(a, 17));
            assertEquals(2, a.blockCount());
            assertEquals(32, a.reservedSlots());
            assertEquals(2, cache.budget().freeBlocks());
            assertEquals(0.5, cache.stats().usage());
            assertTrue(cache.reserve(a, 64), "64 slots fit in the 4 blocks");
            assertEquals(4, a.blockCount());

            SequenceBlocks b = cache.newSequence();
            KvBudget before = cache.budget();
            KvCacheStats statsBefore = cache.stats();
            assertFalse(cache.reserve(b, 1));
            assertFalse(cache.reserve(a, 65));
            assertEquals(0, b.blockCount());
            assertEquals(4, a.blockCount());
            assertEquals(before, cache.budget());
            assertEquals(statsBefore, cache.stats());

            appendTagged(cache, a, tokens(20, 100), 0, 20, 0);
            cache.truncate(a, 20);
            assertEquals(2, a.blockCount(), "truncate releases reserved room past the last slot");
            assertEquals(2, cache.budget().freeBlocks());
            assertEquals(1.0, cache.stats().peakUsage());
            assertEquals(0.5, cache.stats().usage());
            cache.free(a);
            assertEquals(4, cache.budget().freeBlocks());
            assertEquals(0, a.length());
        }
    }

    @Test
    void appendingBeyondTheReservationIsRefused() {
        try (var cache = f32Cache(4, 4, 0)) {
            SequenceBlocks s = cache.newSequence();
            assertTrue(cache.reserve(s, 3));
            for (int i = 0; i < 4; i++) {
                cache.appendSlot(s, i, i);
            }
            assertThrows(IllegalStateException.class, () -> cache.appendSlot(s, 9, 4));
            assertEquals(4, s.length());
            assertArrayEquals(new int[] {0, 1, 2, 3}, Arrays.stream(new int[] {0, 1, 2, 3}).map(s::tokenAt).toArray());
        }
    }

    @Test
    void sequencesOfAnotherCacheAreRefused() {
        try (var one = f32Cache(4, 2, 0); var other = f32Cache(4, 2, 0)) {
            SequenceBlocks s = one.newSequence();
            assertThrows(IllegalArgumentException.class, () -> other.reserve(s, 1));
            assertThrows(IllegalArgumentException.class, () -> new PagedKvView(other).bind(s, 0));
        }
    }
}
