package dev.gantry.plugins.baseline.kv;

import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvLayout;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The codecs' reads at a real model's head size (64, where their vector kernels run) and at one that leaves a
 * vector tail (72): decoding gives exactly the stored floats (F16: exactly {@link Float#float16ToFloat} of the
 * stored halves, special values included), and the fused reads agree with plain loops over the decoded values
 * within 1e-6 of {@code Σ|q·k|} (float sums in another order).
 */
class PlainKvCodecWideHeadsTest {

    @Test
    void readsAgreeWithPlainLoops() {
        for (int headDim : new int[] {64, 72}) {
            check(new F32KvCodec(), new KvLayout(0, 1, 2, headDim, 16));
            check(new F16KvCodec(), new KvLayout(0, 1, 2, headDim, 16));
        }
    }

    @Test
    void halfSpecialValuesDecodeExactly() {
        KvLayout layout = new KvLayout(0, 1, 1, 64, 16);
        float[] keys = new float[16 * 64];
        float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 65504f, -65504f,
                6.0e-8f, -3.0e-5f, 1e-7f, 1f, -2.5f, 1e6f};
        for (int i = 0; i < keys.length; i++) {
            keys[i] = specials[i % specials.length];
        }
        KVCodec codec = new F16KvCodec();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(codec.spec(layout).blockBytes(16));
            codec.encode(layout, block, 0, 16, keys, 0, keys, 0, new int[16], 0);
            float[] decoded = new float[64];
            for (int slot = 0; slot < 16; slot++) {
                codec.decodeKey(layout, block, slot, 0, decoded, 0);
                for (int d = 0; d < 64; d++) {
                    float expected = Float.float16ToFloat(Float.floatToFloat16(keys[slot * 64 + d]));
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(decoded[d]),
                            "slot " + slot + " element " + d);
                }
            }
        }
    }

    private static void check(KVCodec codec, KvLayout layout) {
        SplittableRandom r = new SplittableRandom(layout.headDim());
        int n = layout.blockSize() * layout.kvDim();
        float[] keys = new float[n];
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            keys[i] = (float) r.nextGaussian();
            values[i] = (float) r.nextGaussian();
        }
        int headDim = layout.headDim();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(codec.spec(layout).blockBytes(layout.blockSize()));
            codec.encode(layout, block, 0, layout.blockSize(), keys, 0, values, 0, new int[layout.blockSize()], 0);
            float[] q = new float[headDim + 3];
            for (int i = 0; i < q.length; i++) {
                q[i] = (float) r.nextGaussian();
            }
            for (int slot = 0; slot < layout.blockSize(); slot++) {
                for (int h = 0; h < layout.kvHeads(); h++) {
                    float[] k = new float[headDim];
                    float[] v = new float[headDim];
                    codec.decodeKey(layout, block, slot, h, k, 0);
                    codec.decodeValue(layout, block, slot, h, v, 0);
                    double dot = 0;
                    double magnitude = 0;
                    for (int d = 0; d < headDim; d++) {
                        int stored = slot * layout.kvDim() + h * headDim + d;
                        float expectedKey = codec instanceof F16KvCodec
                                ? Float.float16ToFloat(Float.floatToFloat16(keys[stored])) : keys[stored];
                        float expectedValue = codec instanceof F16KvCodec
                                ? Float.float16ToFloat(Float.floatToFloat16(values[stored])) : values[stored];
                        assertEquals(expectedKey, k[d], 0f, codec.name() + " key");
                        assertEquals(expectedValue, v[d], 0f, codec.name() + " value");
                        dot += (double) q[3 + d] * k[d];
                        magnitude += Math.abs((double) q[3 + d] * k[d]);
                    }
                    assertEquals(dot, codec.dotKey(layout, block, slot, h, q, 3), 1e-6 * magnitude,
                            codec.name() + " fused dot, head dim " + headDim);
                    float[] acc = new float[headDim + 1];
                    for (int d = 0; d < acc.length; d++) {
                        acc[d] = d;
                    }
                    codec.accumulateValue(layout, block, slot, h, 0.375f, acc, 1);
                    assertEquals(0f, acc[0], 0f, "element before the head untouched");
                    for (int d = 0; d < headDim; d++) {
                        assertEquals((d + 1) + 0.375f * v[d], acc[d + 1], 0f, codec.name() + " fused accumulate");
                    }
                }
            }
        }
    }
}
