package dev.gantry.gpu;

import dev.gantry.engine.kv.KvCacheConfig;
import dev.gantry.engine.kv.PagedKvCache;
import dev.gantry.engine.kv.PagedKvView;
import dev.gantry.engine.kv.SequenceBlocks;
import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.spi.ModelInfo;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KVCodecContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device KV ({@link DeviceKvBlocks}) mirroring the engine's {@link PagedKvCache}, with its copies run on the
 * CPU through the CUDA-on-CPU harness: after copy-on-write of a shared prefix block, slot copies of an accepted
 * draft path, and a swap out and back in while other work overwrote the device blocks, every slot the cache
 * holds reads the same on the device (at the physical slot the cache's block id gives) as in the cache.
 */
class KvMirrorOnCudaCpuTest {

    private static final int LAYERS = 2;
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = 4;
    private static final int KV_DIM = KV_HEADS * HEAD_DIM;
    private static final int BLOCK_SIZE = 4;

    private HarnessLauncher gpu;
    private PagedKvCache cache;
    private DeviceKvBlocks device;

    @BeforeEach
    void open() {
        gpu = CudaCpuHarness.launcherForAll();
        long blockBytes = (long) LAYERS * 2 * KV_DIM * Float.BYTES * BLOCK_SIZE;
        cache = new PagedKvCache(f32(), LAYERS, KV_HEADS, HEAD_DIM, new KvCacheConfig(BLOCK_SIZE, 8 * blockBytes,
                6 * blockBytes, true));
        device = new DeviceKvBlocks(gpu, LAYERS, KV_DIM, cache.budget().totalBlocks(), BLOCK_SIZE);
        cache.mirrorTo(device);
    }

    @AfterEach
    void close() {
        device.close();
        cache.close();
        gpu.close();
    }

    private static KVCodec f32() {
        ModelInfo model = new ModelInfo("kv-mirror", "llama", LAYERS, KV_DIM, KV_HEADS, KV_HEADS, HEAD_DIM, 16, 32,
                1024, 0);
        return PluginRegistry.discover().require(ExtensionPoint.KV_CODEC, "f32").factory()
                .create(PluginConfig.empty("baseline"), new KVCodecContext() {
                    public ModelInfo model() {
                        return model;
                    }

                    public int blockSize() {
                        return BLOCK_SIZE;
                    }
                });
    }

    /** Key element {@code e} of layer {@code l} for a tag; exact in float32. */
    private static float key(int tag, int l, int e) {
        return 64f * tag + 16f * l + e;
    }

    /** What a forward pass writes: the tag's keys and values into the slot, in the cache and on the device. */
    private void write(SequenceBlocks s, int slot, int tag) {
        PagedKvView view = new PagedKvView(cache);
        float[] k = new float[KV_DIM];
        float[] v = new float[KV_DIM];
        int phys = device.physicalSlot(s.blockOf(slot), slot % BLOCK_SIZE);
        for (int l = 0; l < LAYERS; l++) {
            for (int e = 0; e < KV_DIM; e++) {
                k[e] = key(tag, l, e);
                v[e] = -k[e] - 0.5f;
            }
            view.bind(s, l).write(slot, k, 0, v, 0, s.position(slot));
            gpu.upload(k, 0, KV_DIM, device.keys(l).slice(4L * phys * KV_DIM, 4L * KV_DIM));
            gpu.upload(v, 0, KV_DIM, device.values(l).slice(4L * phys * KV_DIM, 4L * KV_DIM));
        }
    }

    private void append(SequenceBlocks s, int[] tokens, int from, int to, int base) {
        assertTrue(cache.reserve(s, to - from));
        for (int i = from; i < to; i++) {
            int slot = cache.appendSlot(s, tokens[i], i);
            write(s, slot, base + slot);
        }
    }

    /** Every slot of {@code s} reads the same on the device as in the cache, keys and values, every layer. */
    private void assertMirrored(SequenceBlocks s) {
        PagedKvView view = new PagedKvView(cache);
        float[] want = new float[HEAD_DIM];
        for (int l = 0; l < LAYERS; l++) {
            float[] keys = new float[device.blocks() * BLOCK_SIZE * KV_DIM];
            float[] values = new float[keys.length];
            gpu.download(device.keys(l), keys);
            gpu.download(device.values(l), values);
            view.bind(s, l);
            for (int slot = 0; slot < s.length(); slot++) {
                int phys = device.physicalSlot(s.blockOf(slot), slot % BLOCK_SIZE);
                for (int h = 0; h < KV_HEADS; h++) {
                    view.readKey(slot, h, want, 0);
                    for (int d = 0; d < HEAD_DIM; d++) {
                        assertEquals(want[d], keys[phys * KV_DIM + h * HEAD_DIM + d], "key, slot " + slot);
                    }
                    view.readValue(slot, h, want, 0);
                    for (int d = 0; d < HEAD_DIM; d++) {
                        assertEquals(want[d], values[phys * KV_DIM + h * HEAD_DIM + d], "value, slot " + slot);
                    }
                }
            }
        }
    }

    private static int[] tokens(int count, int first) {
        int[] t = new int[count];
        for (int i = 0; i < count; i++) {
            t[i] = first + i;
        }
        return t;
    }

    @Test
    void copyOnWriteOfASharedPrefixBlockHappensOnTheDevice() {
        int[] prompt = tokens(10, 1);
        SequenceBlocks a = cache.newSequence();
        append(a, prompt, 0, 10, 100);
        cache.commitFullBlocks(a);
        SequenceBlocks b = cache.newSequence();
        assertEquals(8, cache.attachCachedPrefix(b, prompt, 10));
        int shared = b.blockAt(1);
        cache.truncate(b, 6);
        assertTrue(cache.reserve(b, 2));
        assertNotEquals(shared, b.blockAt(1), "the shared block was copied");
        for (int slot = 6; slot < 8; slot++) {
            cache.appendSlot(b, 900 + slot, slot);
            write(b, slot, 900 + slot);
        }
        assertMirrored(a);
        assertMirrored(b);
    }

    @Test
    void slotCopiesOfAnAcceptedPathHappenOnTheDeviceInOrder() {
        SequenceBlocks s = cache.newSequence();
        append(s, tokens(11, 1), 0, 11, 0);
        cache.copySlot(s, 5, 4);
        cache.copySlot(s, 8, 5);
        cache.copySlot(s, 10, 6);
        cache.truncate(s, 7);
        assertMirrored(s);
    }

    @Test
    void aSwappedSequenceComesBackIntactAfterOtherWorkOverwroteTheDevice() {
        SequenceBlocks a = cache.newSequence();
        append(a, tokens(10, 1), 0, 10, 0);
        assertTrue(cache.swapOut(a));
        assertEquals(3, device.hostBlocksInUse());
        SequenceBlocks other = cache.newSequence();
        append(other, tokens(32, 500), 0, 32, 1000);
        cache.free(other);
        assertTrue(cache.swapIn(a));
        assertEquals(0, device.hostBlocksInUse());
        assertMirrored(a);

        assertTrue(cache.swapOut(a));
        cache.free(a);
        assertEquals(0, device.hostBlocksInUse(), "freeing a swapped sequence releases its host copies");
    }
}
