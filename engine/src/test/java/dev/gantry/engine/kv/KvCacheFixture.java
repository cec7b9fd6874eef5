package dev.gantry.engine.kv;

import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.spi.ModelInfo;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KVCodecContext;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A small cache geometry, the installed baseline codecs, and a recognisable pattern to write into slots: the
 * key element {@code e} of layer {@code l} for tag {@code t} is {@code 64·t + 16·l + e} (exact in F32 for
 * tags below 2¹⁷), the value is its negation minus one half, so a slot read from the wrong block, layer, head
 * or half of a block shows up as a different number.
 */
final class KvCacheFixture {

    static final int LAYERS = 2;
    static final int KV_HEADS = 2;
    static final int HEAD_DIM = 4;
    static final int KV_DIM = KV_HEADS * HEAD_DIM;
    /** F32 stores 2 × kvDim floats per token per layer. */
    static final long F32_BYTES_PER_TOKEN_ALL_LAYERS = (long) LAYERS * 2 * KV_DIM * Float.BYTES;

    private KvCacheFixture() {
    }

    /** The baseline plugin's codec {@code name}, created as the engine creates it. */
    static KVCodec codec(String name, int blockSize) {
        ModelInfo model = new ModelInfo("kv-test", "llama", LAYERS, KV_DIM, KV_HEADS, KV_HEADS, HEAD_DIM, 16, 32,
                1024, 0);
        return PluginRegistry.discover().require(ExtensionPoint.KV_CODEC, name).factory()
                .create(PluginConfig.empty("baseline"), new KVCodecContext() {
                    public ModelInfo model() {
                        return model;
                    }

                    public int blockSize() {
                        return blockSize;
                    }
                });
    }

    /** Bytes of one F32 block of {@code blockSize} tokens over all layers. */
    static long f32BlockBytes(int blockSize) {
        return F32_BYTES_PER_TOKEN_ALL_LAYERS * blockSize;
    }

    /** An F32 cache of exactly {@code blocks} device blocks and {@code hostBlocks} host blocks. */
    static PagedKvCache f32Cache(int blockSize, int blocks, int hostBlocks) {
        long block = f32BlockBytes(blockSize);
        return new PagedKvCache(codec("f32", blockSize), LAYERS, KV_HEADS, HEAD_DIM,
                new KvCacheConfig(blockSize, block * blocks, block * hostBlocks, true));
    }

    static float key(int tag, int layer, int element) {
        if (tag < 0 || tag >= 1 << 17) {
            throw new IllegalArgumentException("tag out of the exact range: " + tag);
        }
        return 64f * tag + 16f * layer + element;
    }

    static float value(int tag, int layer, int element) {
        return -key(tag, layer, element) - 0.5f;
    }

    /** Writes the pattern of {@code tag} into {@code slot} of every layer. */
    static void write(PagedKvCache cache, SequenceBlocks s, int slot, int tag) {
        PagedKvView view = new PagedKvView(cache);
        float[] keys = new float[KV_DIM];
        float[] values = new float[KV_DIM];
        for (int l = 0; l < cache.layers(); l++) {
            for (int e = 0; e < KV_DIM; e++) {
                keys[e] = key(tag, l, e);
                values[e] = value(tag, l, e);
            }
            view.bind(s, l).write(slot, keys, 0, values, 0, s.position(slot));
        }
    }

    /** Appends tokens {@code tokens[from .. to)} at positions equal to their slots, writing tag = base + slot. */
    static void appendTagged(PagedKvCache cache, SequenceBlocks s, int[] tokens, int from, int to, int base) {
        if (!cache.reserve(s, to - from)) {
            throw new IllegalStateException("KV full");
        }
        for (int i = from; i < to; i++) {
            int slot = cache.appendSlot(s, tokens[i], i);
            write(cache, s, slot, base + slot);
        }
    }

    /** The tag in {@code slot}, read from layer 0's first key element. */
    static int readTag(PagedKvCache cache, SequenceBlocks s, int slot) {
        float[] k = new float[HEAD_DIM];
        new PagedKvView(cache).bind(s, 0).readKey(slot, 0, k, 0);
        return (int) (k[0] / 64f);
    }

    /** Checks every element of {@code slot}, in every layer, through every read path of the view. */
    static void assertHolds(PagedKvCache cache, SequenceBlocks s, int slot, int tag) {
        PagedKvView view = new PagedKvView(cache);
        float[] k = new float[KV_DIM];
        float[] v = new float[KV_DIM];
        float[] ones = new float[HEAD_DIM];
        Arrays.fill(ones, 1f);
        for (int l = 0; l < cache.layers(); l++) {
            view.bind(s, l);
            for (int h = 0; h < KV_HEADS; h++) {
                view.readKey(slot, h, k, h * HEAD_DIM);
                view.readValue(slot, h, v, h * HEAD_DIM);
                float dot = 0;
                float[] acc = new float[HEAD_DIM];
                view.accumulateValue(slot, h, 1f, acc, 0);
                for (int d = 0; d < HEAD_DIM; d++) {
                    int e = h * HEAD_DIM + d;
                    dot += key(tag, l, e);
                    assertEquals(value(tag, l, e), acc[d], "accumulated value, slot " + slot + " layer " + l);
                }
                assertEquals(dot, view.dotKey(slot, h, ones, 0), "dot product, slot " + slot + " layer " + l);
            }
            for (int e = 0; e < KV_DIM; e++) {
                assertEquals(key(tag, l, e), k[e], "key, slot " + slot + " layer " + l + " element " + e);
                assertEquals(value(tag, l, e), v[e], "value, slot " + slot + " layer " + l + " element " + e);
            }
        }
    }

    /** Tokens {@code first, first+1, ...}: a prompt no other test prompt shares by accident. */
    static int[] tokens(int count, int first) {
        int[] t = new int[count];
        for (int i = 0; i < count; i++) {
            t[i] = first + i;
        }
        return t;
    }
}
