package dev.gantry.engine.kv;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.gantry.engine.kv.KvCacheFixture.HEAD_DIM;
import static dev.gantry.engine.kv.KvCacheFixture.KV_HEADS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The view's range reads ({@code readKeys}, {@code readValues}) return each slot of the range from the right
 * block, layer and head — across block boundaries, packed (one codec call per block) and at a wider stride
 * (slot by slot) — and write nothing between or around the slots.
 */
class PagedKvViewRangeReadTest {

    private static final int BLOCK_SIZE = 4;
    private static final int TOKENS = 11;
    private static final int TAG_BASE = 100;

    @Test
    void rangesAcrossBlocksReadEverySlotInPlace() {
        for (String codec : new String[] {"f32", "f16"}) {
            try (PagedKvCache cache = new PagedKvCache(KvCacheFixture.codec(codec, BLOCK_SIZE),
                    KvCacheFixture.LAYERS, KV_HEADS, HEAD_DIM, new KvCacheConfig(BLOCK_SIZE, 1 << 20, 0, true))) {
                SequenceBlocks s = cache.newSequence();
                int[] tokens = new int[TOKENS];
                KvCacheFixture.appendTagged(cache, s, tokens, 0, TOKENS, TAG_BASE);
                PagedKvView view = new PagedKvView(cache);
                int[][] ranges = {{0, TOKENS}, {3, 6}, {5, 1}, {8, 3}};
                for (int layer = 0; layer < KvCacheFixture.LAYERS; layer++) {
                    view.bind(s, layer);
                    for (int[] range : ranges) {
                        for (int stride : new int[] {HEAD_DIM, HEAD_DIM + 3}) {
                            for (int h = 0; h < KV_HEADS; h++) {
                                check(view, codec, layer, range, stride, h);
                            }
                        }
                    }
                }
            }
        }
    }

    /** What the codec keeps of {@code x}: itself in F32, its nearest half in F16. */
    private static float stored(String codec, float x) {
        return codec.equals("f16") ? Float.float16ToFloat(Float.floatToFloat16(x)) : x;
    }

    private static void check(PagedKvView view, String codec, int layer, int[] range, int stride, int h) {
        int first = range[0];
        int count = range[1];
        float[] keys = new float[2 + (count - 1) * stride + HEAD_DIM];
        float[] values = new float[keys.length];
        Arrays.fill(keys, Float.NaN);
        Arrays.fill(values, Float.NaN);
        view.readKeys(first, count, h, keys, 1, stride);
        view.readValues(first, count, h, values, 1, stride);
        String where = codec + " layer " + layer + " slots " + first + "+" + count + " stride " + stride + " head " + h;
        for (int i = 0; i < keys.length; i++) {
            int slotIndex = (i - 1) / stride;
            int d = (i - 1) % stride;
            boolean inside = i >= 1 && slotIndex < count && d < HEAD_DIM;
            if (!inside) {
                assertTrue(Float.isNaN(keys[i]) && Float.isNaN(values[i]), where + ": wrote outside at " + i);
                continue;
            }
            int tag = TAG_BASE + first + slotIndex;
            int e = h * HEAD_DIM + d;
            assertEquals(stored(codec, KvCacheFixture.key(tag, layer, e)), keys[i], where + ": key element " + i);
            assertEquals(stored(codec, KvCacheFixture.value(tag, layer, e)), values[i],
                    where + ": value element " + i);
        }
    }
}
