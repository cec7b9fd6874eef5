package dev.gantry.plugins.baseline.kv;

import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvCodecSpec;
import dev.gantry.spi.kv.KvLayout;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain codecs store what they declare, read back within their declared error, and fuse correctly. */
class PlainKvCodecTest {

    static final KvLayout LAYOUT = new KvLayout(1, 4, 3, 10, 16);

    @Test
    void f32IsLosslessAndF16StaysWithinItsDeclaredError() {
        check(new F32KvCodec(), 4 * 2 * 30);
        check(new F16KvCodec(), 2 * 2 * 30);
    }

    static void check(KVCodec codec, int expectedBytesPerToken) {
        KvCodecSpec spec = codec.spec(LAYOUT);
        assertEquals(expectedBytesPerToken, spec.bytesPerToken(), codec.name() + " bytes per token");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(spec.blockBytes(LAYOUT.blockSize()));
            MemorySegment other = arena.allocate(spec.blockBytes(LAYOUT.blockSize()));
            SplittableRandom r = new SplittableRandom(2);
            int kvDim = LAYOUT.kvDim();
            float[][] keys = new float[LAYOUT.blockSize()][kvDim];
            float[][] values = new float[LAYOUT.blockSize()][kvDim];
            for (int slot = 0; slot < LAYOUT.blockSize(); slot++) {
                for (int i = 0; i < kvDim; i++) {
                    keys[slot][i] = (float) (r.nextGaussian() * 3);
                    values[slot][i] = (float) r.nextGaussian();
                }
                codec.encode(LAYOUT, block, slot, 1, keys[slot], 0, values[slot], 0, new int[] {slot}, 0);
            }
            float[] q = new float[LAYOUT.headDim()];
            for (int i = 0; i < q.length; i++) {
                q[i] = (float) r.nextGaussian();
            }
            float[] decoded = new float[LAYOUT.headDim()];
            for (int slot = 0; slot < LAYOUT.blockSize(); slot++) {
                for (int h = 0; h < LAYOUT.kvHeads(); h++) {
                    codec.decodeKey(LAYOUT, block, slot, h, decoded, 0);
                    assertWithin(spec, keys[slot], h, decoded, codec.name() + " key " + slot + "/" + h);
                    float dot = 0;
                    for (int i = 0; i < q.length; i++) {
                        dot += q[i] * decoded[i];
                    }
                    assertEquals(dot, codec.dotKey(LAYOUT, block, slot, h, q, 0), 1e-4, "fused dot");
                    codec.decodeValue(LAYOUT, block, slot, h, decoded, 0);
                    assertWithin(spec, values[slot], h, decoded, codec.name() + " value " + slot + "/" + h);
                    float[] copied = new float[LAYOUT.headDim()];
                    codec.copySlot(LAYOUT, block, slot, other, LAYOUT.blockSize() - 1 - slot, slot);
                    codec.decodeValue(LAYOUT, other, LAYOUT.blockSize() - 1 - slot, h, copied, 0);
                    assertArrayEquals(decoded, copied, "copied slot");
                    float[] acc = new float[LAYOUT.headDim()];
                    codec.accumulateValue(LAYOUT, block, slot, h, 0.5f, acc, 0);
                    for (int i = 0; i < acc.length; i++) {
                        assertEquals(0.5f * decoded[i], acc[i], 1e-6, "fused accumulate");
                    }
                }
            }
        }
    }

    static void assertWithin(KvCodecSpec spec, float[] original, int head, float[] decoded, String what) {
        double err = 0, norm = 0;
        for (int i = 0; i < LAYOUT.headDim(); i++) {
            double x = original[head * LAYOUT.headDim() + i];
            err += (decoded[i] - x) * (decoded[i] - x);
            norm += x * x;
        }
        double relative = Math.sqrt(err / norm);
        assertTrue(relative <= spec.maxRelativeError(), what + ": relative error " + relative + " above declared "
                + spec.maxRelativeError());
    }
}
