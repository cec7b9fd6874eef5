package dev.gantry.engine.kv;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static dev.gantry.engine.kv.KvCacheFixture.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Thousands of random operations on a small pool, checking after each that the cache's bookkeeping and every
 * sequence's KV agree with a plain model kept by the test.
 *
 * <p>Each write stores a fresh tag. A tag is legitimate for a slot under the exact tokens and positions of the
 * slots up to it that its sequence had when it got the tag (by a write, a slot copy, or a prefix hit); a prefix
 * hit must deliver, slot by slot, tags legitimate under the new sequence's own tokens — the KV of exactly that
 * prefix, computed by someone.
 */
class PagedKvCacheModelCheckTest {

    private static final int BLOCK = 4;
    private static final int BLOCKS = 12;
    private static final int HOST_BLOCKS = 6;
    private static final int MAX_SEQUENCES = 6;
    private static final int MAX_LENGTH = 32;
    private static final int OPERATIONS = 3000;

    /** What the test believes one sequence holds. */
    private static final class Model {
        final SequenceBlocks handle;
        int[] script;
        final int[] tokens = new int[MAX_LENGTH];
        final int[] positions = new int[MAX_LENGTH];
        final int[] tags = new int[MAX_LENGTH];
        int length;
        boolean swapped;

        Model(SequenceBlocks handle) {
            this.handle = handle;
        }
    }

    private final Set<List<Integer>> legitimate = new HashSet<>();
    private final List<Model> models = new ArrayList<>();
    private int[][] templates;
    private PagedKvCache cache;
    private PagedKvView view;
    private Random random;
    private int nextTag = 1;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void randomOperationsKeepEveryInvariant(long seed) {
        random = new Random(seed);
        templates = new int[3][MAX_LENGTH];
        for (int[] t : templates) {
            for (int i = 0; i < t.length; i++) {
                t[i] = random.nextInt(3);
            }
        }
        cache = f32Cache(BLOCK, BLOCKS, HOST_BLOCKS);
        view = new PagedKvView(cache);
        try (PagedKvCache closing = cache) {
            for (int op = 0; op < OPERATIONS; op++) {
                String what = step();
                try {
                    checkInvariants();
                } catch (AssertionError e) {
                    throw new AssertionError("seed " + seed + ", operation " + op + " (" + what + "): "
                            + e.getMessage(), e);
                }
            }
            KvCacheStats stats = cache.stats();
            assertTrue(stats.prefixHitTokens() > 0, "the run exercised prefix hits: " + stats);
            assertTrue(stats.evictions() > 0, "the run exercised evictions: " + stats);
            assertTrue(stats.copyOnWriteCopies() > 0, "the run exercised copy-on-write: " + stats);
            assertTrue(stats.swapsIn() > 0, "the run exercised swapping: " + stats);
        }
    }

    private String step() {
        int pick = random.nextInt(100);
        if (pick < 12) {
            return newSequence();
        }
        Model m = models.isEmpty() ? null : models.get(random.nextInt(models.size()));
        if (m == null) {
            return "nothing";
        }
        if (m.swapped) {
            return pick < 60 ? swapIn(m) : free(m);
        }
        if (pick < 40) {
            return grow(m, 1 + random.nextInt(6));
        } else if (pick < 48) {
            return reserveOnly(m, random.nextInt(7));
        } else if (pick < 56) {
            return appendReserved(m);
        } else if (pick < 68) {
            cache.commitFullBlocks(m.handle);
            return "commit";
        } else if (pick < 78) {
            return truncate(m);
        } else if (pick < 85) {
            return copySlot(m);
        } else if (pick < 90) {
            return free(m);
        } else {
            return swapOut(m);
        }
    }

    private String newSequence() {
        Model m = null;
        for (Model candidate : models) {
            if (!candidate.swapped && candidate.length == 0 && candidate.handle.blockCount() == 0) {
                m = candidate;
                break;
            }
        }
        if (m == null) {
            if (models.size() >= MAX_SEQUENCES) {
                return "new: none";
            }
            m = new Model(cache.newSequence());
            models.add(m);
        }
        // A template, perhaps leaving it at some point: prompts share prefixes of many lengths.
        m.script = templates[random.nextInt(templates.length)].clone();
        if (random.nextBoolean()) {
            for (int i = random.nextInt(MAX_LENGTH); i < MAX_LENGTH; i++) {
                m.script[i] = random.nextInt(3);
            }
        }
        int count = random.nextInt(25);
        int attached = cache.attachCachedPrefix(m.handle, m.script, count);
        assertEquals(0, attached % BLOCK);
        assertTrue(attached <= Math.max(0, (count - 1) / BLOCK * BLOCK), "attached " + attached + " of " + count);
        for (int slot = 0; slot < attached; slot++) {
            m.tokens[slot] = m.script[slot];
            m.positions[slot] = slot;
            m.length = slot + 1;
            view.bind(m.handle, 0);
            int tag = readTag(cache, m.handle, slot);
            assertTrue(legitimate.contains(signature(m, slot, tag)),
                    "a prefix hit delivered tag " + tag + " in slot " + slot + ", never computed for this prefix");
            m.tags[slot] = tag;
        }
        return "new, attached " + attached + " of " + count;
    }

    private String grow(Model m, int k) {
        k = Math.min(k, MAX_LENGTH - m.length);
        if (k == 0) {
            return "grow: full";
        }
        if (!reserveChecked(m, k)) {
            return "grow " + k + ": refused";
        }
        for (int i = 0; i < k; i++) {
            appendAndWrite(m);
        }
        return "grow " + k;
    }

    private String reserveOnly(Model m, int k) {
        k = Math.min(k, MAX_LENGTH - m.length);
        boolean ok = reserveChecked(m, k);
        return "reserve " + k + (ok ? "" : ": refused");
    }

    /** Reserves, checking the answer against the block arithmetic and that a refusal changed nothing. */
    private boolean reserveChecked(Model m, int k) {
        SequenceBlocks s = m.handle;
        int needed = (s.length() + k + BLOCK - 1) / BLOCK;
        int grow = Math.max(0, needed - s.blockCount());
        int next = s.length() / BLOCK;
        boolean unshare = k > 0 && next < s.blockCount() && !isPrivate(s.blockAt(next));
        int available = cache.budget().freeBlocks();
        boolean fits = grow + (unshare ? 1 : 0) <= available
                || unshare && cache.refCount(s.blockAt(next)) == 1 && grow <= available;
        String before = snapshot();
        boolean ok = cache.reserve(s, k);
        assertEquals(fits, ok, "reserve " + k + " with " + available + " blocks available");
        if (ok) {
            assertTrue(s.blockCount() * BLOCK >= s.length() + k);
            if (k > 0) {
                assertTrue(isPrivate(s.blockAt(next)), "the next slot's block is private after reserve");
            }
        } else {
            assertEquals(before, snapshot(), "a refused reservation changed something");
        }
        return ok;
    }

    private String appendReserved(Model m) {
        if (m.handle.reservedSlots() == 0 || m.length == MAX_LENGTH) {
            return "append: no room";
        }
        if (!isPrivate(m.handle.blockAt(m.length / BLOCK))) {
            String before = snapshot();
            assertThrows(IllegalStateException.class, () -> cache.appendSlot(m.handle, 0, m.length));
            assertEquals(before, snapshot());
            return "append: refused in a shared block";
        }
        appendAndWrite(m);
        return "append";
    }

    private void appendAndWrite(Model m) {
        int slot = m.length;
        int token = random.nextInt(10) == 0 ? random.nextInt(3) : m.script[slot];
        // Now and then a draft-tree sibling: its position is not its slot.
        int position = slot > 0 && random.nextInt(10) == 0 ? slot - 1 : slot;
        assertEquals(slot, cache.appendSlot(m.handle, token, position));
        int tag = nextTag++;
        write(cache, m.handle, slot, tag);
        m.tokens[slot] = token;
        m.positions[slot] = position;
        m.tags[slot] = tag;
        m.length = slot + 1;
        legitimate.add(signature(m, slot, tag));
    }

    private String truncate(Model m) {
        int newLength = random.nextInt(m.length + 1);
        cache.truncate(m.handle, newLength);
        m.length = newLength;
        return "truncate to " + newLength;
    }

    private String copySlot(Model m) {
        if (m.length < 2) {
            return "copy: too short";
        }
        int from = random.nextInt(m.length);
        int to = random.nextInt(m.length);
        int target = m.handle.blockAt(to / BLOCK);
        if (from != to && !isPrivate(target) && cache.refCount(target) > 1 && cache.budget().freeBlocks() == 0) {
            String before = snapshot();
            assertThrows(IllegalStateException.class, () -> cache.copySlot(m.handle, from, to));
            assertEquals(before, snapshot());
            return "copy " + from + " -> " + to + ": refused";
        }
        cache.copySlot(m.handle, from, to);
        m.tokens[to] = m.tokens[from];
        m.positions[to] = m.positions[from];
        m.tags[to] = m.tags[from];
        // The slots from `to` on now sit after other tokens: the engine vouches for their KV there.
        for (int slot = to; slot < m.length; slot++) {
            legitimate.add(signature(m, slot, m.tags[slot]));
        }
        return "copy " + from + " -> " + to;
    }

    private String free(Model m) {
        cache.free(m.handle);
        m.length = 0;
        m.swapped = false;
        return "free";
    }

    private String swapOut(Model m) {
        int inUse = (m.length + BLOCK - 1) / BLOCK;
        boolean fits = inUse <= cache.budget().hostFreeBlocks();
        String before = snapshot();
        boolean ok = cache.swapOut(m.handle);
        assertEquals(fits, ok);
        if (ok) {
            m.swapped = true;
        } else {
            assertEquals(before, snapshot());
        }
        return "swap out" + (ok ? "" : ": refused");
    }

    private String swapIn(Model m) {
        boolean fits = m.handle.blockCount() <= cache.budget().freeBlocks();
        String before = snapshot();
        boolean ok = cache.swapIn(m.handle);
        assertEquals(fits, ok);
        if (ok) {
            m.swapped = false;
        } else {
            assertEquals(before, snapshot());
        }
        return "swap in" + (ok ? "" : ": refused");
    }

    private boolean isPrivate(int block) {
        return cache.refCount(block) == 1 && !cache.isCached(block);
    }

    /** The tag with the tokens and positions of slots 0..slot: the prefix it is the KV of. */
    private static List<Integer> signature(Model m, int slot, int tag) {
        List<Integer> sig = new ArrayList<>(2 * slot + 3);
        sig.add(tag);
        for (int i = 0; i <= slot; i++) {
            sig.add(m.tokens[i]);
            sig.add(m.positions[i]);
        }
        return sig;
    }

    private void checkInvariants() {
        int[] holders = new int[BLOCKS];
        Set<Integer> hostBlocks = new HashSet<>();
        int hostHeld = 0;
        for (Model m : models) {
            SequenceBlocks s = m.handle;
            assertEquals(m.length, s.length());
            assertEquals(m.swapped, s.isSwapped());
            int inUse = (m.length + BLOCK - 1) / BLOCK;
            for (int slot = 0; slot < m.length; slot++) {
                assertEquals(m.tokens[slot], s.tokenAt(slot), "token of slot " + slot);
                assertEquals(m.positions[slot], s.position(slot), "position of slot " + slot);
            }
            if (m.swapped) {
                assertEquals(inUse, s.blockCount(), "a swapped sequence holds exactly its used blocks");
                for (int i = 0; i < s.blockCount(); i++) {
                    assertTrue(hostBlocks.add(s.blockAt(i)), "host block " + s.blockAt(i) + " held twice");
                }
                hostHeld += s.blockCount();
                continue;
            }
            assertTrue(s.blockCount() >= inUse);
            for (int i = 0; i < s.blockCount(); i++) {
                holders[s.blockAt(i)]++;
            }
            readsBack(m);
        }
        int[] free = cache.freeBlockIds();
        int[] evictable = cache.evictionOrder();
        int[] states = new int[BLOCKS];
        for (int b : free) {
            states[b]++;
            assertFalse(cache.isCached(b), "free block " + b + " keeps a prefix");
        }
        for (int b : evictable) {
            states[b]++;
            assertTrue(cache.isCached(b), "evictable block " + b + " keeps no prefix");
        }
        int used = 0;
        for (int b = 0; b < BLOCKS; b++) {
            assertEquals(holders[b], cache.refCount(b), "reference count of block " + b);
            if (holders[b] > 0) {
                states[b]++;
                used++;
            }
            assertEquals(1, states[b], "block " + b + " must be exactly one of free, used, cached");
        }
        var budget = cache.budget();
        assertEquals(free.length + evictable.length, budget.freeBlocks());
        assertEquals(BLOCKS, budget.totalBlocks());
        assertEquals(HOST_BLOCKS - hostHeld, budget.hostFreeBlocks());
        KvCacheStats stats = cache.stats();
        assertEquals(used, stats.usedBlocks());
        assertEquals(free.length, stats.freeBlocks());
        assertEquals(evictable.length, stats.cachedBlocks());
        assertTrue(stats.peakUsage() >= stats.usage());
        assertTrue(stats.prefixHitTokens() <= stats.prefixQueryTokens());
    }

    private final float[] keys = new float[KV_DIM];
    private final float[] values = new float[KV_DIM];

    private void readsBack(Model m) {
        for (int l = 0; l < LAYERS; l++) {
            view.bind(m.handle, l);
            for (int slot = 0; slot < m.length; slot++) {
                for (int h = 0; h < KV_HEADS; h++) {
                    view.readKey(slot, h, keys, h * HEAD_DIM);
                    view.readValue(slot, h, values, h * HEAD_DIM);
                }
                for (int e = 0; e < KV_DIM; e++) {
                    if (keys[e] != key(m.tags[slot], l, e) || values[e] != value(m.tags[slot], l, e)) {
                        fail("slot " + slot + " of layer " + l + " holds " + Arrays.toString(keys) + " / "
                                + Arrays.toString(values) + ", not tag " + m.tags[slot]);
                    }
                }
            }
        }
    }

    /** Everything a refused operation must leave as it was. */
    private String snapshot() {
        StringBuilder sb = new StringBuilder();
        for (Model m : models) {
            sb.append(m.handle).append(';');
        }
        sb.append(cache.budget()).append(cache.stats()).append(Arrays.toString(cache.freeBlockIds()))
                .append(Arrays.toString(cache.evictionOrder()));
        for (int b = 0; b < BLOCKS; b++) {
            sb.append(cache.refCount(b)).append(cache.isCached(b) ? 'c' : '-');
        }
        return sb.toString();
    }
}
