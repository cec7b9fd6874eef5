package dev.gantry.engine.kv;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.gantry.engine.kv.KvCacheFixture.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A {@link KvBlockMirror} hears of every change to block contents the cache makes itself — copy-on-write, slot
 * copies, swap-out, swap-in, freeing swapped blocks — and that is enough: a shadow copy that applies only those
 * events (and the writes a forward pass makes) holds, under the cache's block ids, exactly what the cache holds.
 */
class KvBlockMirrorTest {

    /** Block contents as tags per slot, changed only by forward writes and mirror events; logs the events. */
    private static final class Shadow implements KvBlockMirror {
        final int blockSize;
        final Map<Integer, int[]> device = new HashMap<>();
        final Map<Integer, int[]> host = new HashMap<>();
        final List<String> events = new ArrayList<>();

        Shadow(int blockSize) {
            this.blockSize = blockSize;
        }

        int[] block(Map<Integer, int[]> memory, int id) {
            return memory.computeIfAbsent(id, b -> new int[blockSize]);
        }

        /** What a forward pass writes into a slot, here and in the cache. */
        void write(PagedKvCache cache, SequenceBlocks s, int slot, int tag) {
            KvCacheFixture.write(cache, s, slot, tag);
            block(device, s.blockOf(slot))[slot % blockSize] = tag;
        }

        int tagAt(SequenceBlocks s, int slot) {
            return block(device, s.blockOf(slot))[slot % blockSize];
        }

        @Override
        public void copyBlock(int from, int to) {
            events.add("copyBlock " + from + "->" + to);
            device.put(to, block(device, from).clone());
        }

        @Override
        public void copySlot(int fromBlock, int fromOffset, int toBlock, int toOffset) {
            events.add("copySlot " + fromBlock + ":" + fromOffset + "->" + toBlock + ":" + toOffset);
            block(device, toBlock)[toOffset] = block(device, fromBlock)[fromOffset];
        }

        @Override
        public void swapOut(int deviceBlock, int hostBlock) {
            events.add("swapOut " + deviceBlock + "->host " + hostBlock);
            host.put(hostBlock, block(device, deviceBlock).clone());
        }

        @Override
        public void swapIn(int hostBlock, int deviceBlock) {
            events.add("swapIn host " + hostBlock + "->" + deviceBlock);
            device.put(deviceBlock, host.remove(hostBlock));
        }

        @Override
        public void releaseHost(int hostBlock) {
            events.add("releaseHost " + hostBlock);
            assertNotNull(host.remove(hostBlock), "host block " + hostBlock + " held nothing");
        }
    }

    private static void append(PagedKvCache cache, Shadow shadow, SequenceBlocks s, int[] tokens, int from, int to,
                               int base) {
        assertTrue(cache.reserve(s, to - from));
        for (int i = from; i < to; i++) {
            int slot = cache.appendSlot(s, tokens[i], i);
            shadow.write(cache, s, slot, base + slot);
        }
    }

    /** The shadow holds what the cache holds in every slot of {@code s}. */
    private static void assertMirrored(PagedKvCache cache, Shadow shadow, SequenceBlocks s) {
        for (int slot = 0; slot < s.length(); slot++) {
            assertEquals(readTag(cache, s, slot), shadow.tagAt(s, slot), "slot " + slot + " of " + s);
        }
    }

    @Test
    void copyOnWriteOfASharedPrefixBlockIsMirrored() {
        try (var cache = f32Cache(4, 8, 0)) {
            Shadow shadow = new Shadow(4);
            cache.mirrorTo(shadow);
            int[] prompt = tokens(10, 1);
            SequenceBlocks a = cache.newSequence();
            append(cache, shadow, a, prompt, 0, 10, 100);
            cache.commitFullBlocks(a);
            SequenceBlocks b = cache.newSequence();
            assertEquals(8, cache.attachCachedPrefix(b, prompt, 10));
            int shared = b.blockAt(1);

            cache.truncate(b, 6);
            assertTrue(cache.reserve(b, 2));
            int own = b.blockAt(1);
            assertNotEquals(shared, own);
            assertEquals(List.of("copyBlock " + shared + "->" + own), shadow.events);
            for (int slot = 6; slot < 8; slot++) {
                cache.appendSlot(b, 900 + slot, slot);
                shadow.write(cache, b, slot, 900 + slot);
            }
            assertMirrored(cache, shadow, a);
            assertMirrored(cache, shadow, b);
        }
    }

    @Test
    void slotCopiesOfAnAcceptedPathAreMirroredInOrder() {
        try (var cache = f32Cache(4, 8, 0)) {
            Shadow shadow = new Shadow(4);
            cache.mirrorTo(shadow);
            SequenceBlocks s = cache.newSequence();
            append(cache, shadow, s, tokens(11, 1), 0, 11, 0);
            // A tree after slot 3 whose accepted path is nodes 0, 2, 5, 7: slots 5, 8, 10 move down to 4, 5, 6.
            cache.copySlot(s, 5, 4);
            cache.copySlot(s, 8, 5);
            cache.copySlot(s, 10, 6);
            cache.truncate(s, 7);
            assertEquals(List.of("copySlot " + s.blockOf(5) + ":1->" + s.blockOf(4) + ":0",
                    "copySlot " + s.blockOf(8) + ":0->" + s.blockOf(5) + ":1",
                    "copySlot " + s.blockOf(10) + ":2->" + s.blockOf(6) + ":2"), shadow.events);
            assertMirrored(cache, shadow, s);
            assertEquals(8, readTag(cache, s, 5));
        }
    }

    @Test
    void aSlotCopyIntoASharedBlockCopiesTheBlockFirst() {
        try (var cache = f32Cache(4, 8, 0)) {
            Shadow shadow = new Shadow(4);
            cache.mirrorTo(shadow);
            int[] prompt = tokens(9, 1);
            SequenceBlocks a = cache.newSequence();
            append(cache, shadow, a, prompt, 0, 9, 0);
            cache.commitFullBlocks(a);
            SequenceBlocks b = cache.newSequence();
            assertEquals(8, cache.attachCachedPrefix(b, prompt, 9));
            append(cache, shadow, b, prompt, 8, 9, 50);
            int shared = b.blockAt(1);
            cache.copySlot(b, 8, 6);
            assertEquals(2, shadow.events.size());
            assertEquals("copyBlock " + shared + "->" + b.blockAt(1), shadow.events.get(0));
            assertMirrored(cache, shadow, a);
            assertMirrored(cache, shadow, b);
        }
    }

    @Test
    void swapOutSwapInAndFreeingSwappedBlocksAreMirrored() {
        try (var cache = f32Cache(4, 4, 6)) {
            Shadow shadow = new Shadow(4);
            cache.mirrorTo(shadow);
            SequenceBlocks a = cache.newSequence();
            append(cache, shadow, a, tokens(10, 1), 0, 10, 0);
            int[] deviceBlocks = {a.blockAt(0), a.blockAt(1), a.blockAt(2)};
            assertTrue(cache.swapOut(a));
            assertEquals(3, shadow.events.size());
            for (int i = 0; i < 3; i++) {
                assertEquals("swapOut " + deviceBlocks[2 - i] + "->host " + a.blockAt(2 - i), shadow.events.get(i));
            }

            // Other work overwrites every device block while a waits on the host.
            SequenceBlocks other = cache.newSequence();
            append(cache, shadow, other, tokens(16, 500), 0, 16, 1000);
            cache.free(other);

            assertTrue(cache.swapIn(a));
            assertEquals(6, shadow.events.size());
            assertTrue(shadow.events.subList(3, 6).stream().allMatch(e -> e.startsWith("swapIn host ")));
            assertMirrored(cache, shadow, a);

            assertTrue(cache.swapOut(a));
            cache.free(a);
            assertEquals(List.of("releaseHost", "releaseHost", "releaseHost"), shadow.events.subList(9, 12).stream()
                    .map(e -> e.split(" ")[0]).toList());
            assertTrue(shadow.host.isEmpty(), "every host block was released");
        }
    }

    @Test
    void withoutAMirrorNothingIsToldAndMirroringCanStop() {
        try (var cache = f32Cache(4, 8, 0)) {
            Shadow shadow = new Shadow(4);
            cache.mirrorTo(shadow);
            cache.mirrorTo(KvBlockMirror.NONE);
            SequenceBlocks s = cache.newSequence();
            append(cache, shadow, s, tokens(6, 1), 0, 6, 0);
            cache.copySlot(s, 5, 4);
            assertTrue(shadow.events.isEmpty());
            assertThrows(NullPointerException.class, () -> cache.mirrorTo(null));
        }
    }
}
