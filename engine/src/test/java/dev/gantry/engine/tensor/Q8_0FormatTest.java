package dev.gantry.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Q8_0FormatTest {

    private static final TensorFormat FORMAT = TensorFormats.of(GgmlType.Q8_0);
    private static final int BLOCKS = 40;

    /** Random blocks: f16 d then 32 int8 quants; each element is d * q. */
    private static byte[] randomBlocks(Random rnd, float[] expected) {
        byte[] data = new byte[BLOCKS * 34];
        for (int b = 0; b < BLOCKS; b++) {
            int dBits = ReferenceHalf.random(rnd, 3, 16, true);
            ReferenceHalf.put(data, b * 34, dBits);
            float d = ReferenceHalf.value(dBits);
            for (int j = 0; j < 32; j++) {
                int q = rnd.nextInt(256) - 128;
                data[b * 34 + 2 + j] = (byte) q;
                expected[b * 32 + j] = d * q;
            }
        }
        return data;
    }

    @Test
    void dequantizeFollowsTheBlockDefinition() {
        float[] expected = new float[BLOCKS * 32];
        MemorySegment data = MemorySegment.ofArray(randomBlocks(new Random(1), expected));

        float[] all = new float[expected.length];
        FORMAT.dequantize(data, 0, all, 0, all.length);
        assertArrayEquals(expected, all);

        float[] tail = new float[5 + 64];
        FORMAT.dequantize(data, 96, tail, 5, 64);
        assertArrayEquals(Arrays.copyOfRange(expected, 96, 160), Arrays.copyOfRange(tail, 5, 69));
    }

    @Test
    void knownBlock() {
        byte[] block = new byte[34];
        ReferenceHalf.put(block, 0, 0x3800); // 0.5
        block[2] = 3;
        block[3] = (byte) -128;
        block[33] = 127;
        float[] out = new float[32];
        FORMAT.dequantize(MemorySegment.ofArray(block), 0, out, 0, 32);
        assertEquals(1.5f, out[0]);
        assertEquals(-64f, out[1]);
        assertEquals(0f, out[2]);
        assertEquals(63.5f, out[31]);
    }

    @Test
    void dotMatchesDequantizeThenDot() {
        MemorySegment data = MemorySegment.ofArray(randomBlocks(new Random(2), new float[BLOCKS * 32]));
        FormatChecks.assertDotMatchesDequantize(FORMAT, data, 0, BLOCKS * 32, 20);
        FormatChecks.assertDotMatchesDequantize(FORMAT, data, 64, 32 * 7, 21);
    }

    @Test
    void quantizeRoundsHalvesAwayFromZeroLikeGgml() {
        float[] src = new float[32];
        src[0] = 127f; // amax 127 gives d = 1 exactly
        src[1] = 2.5f;
        src[2] = -2.5f;
        src[3] = 0.49999997f;
        src[4] = -126.5f;
        byte[] bytes = new byte[34];
        FORMAT.quantize(src, 0, 32, MemorySegment.ofArray(bytes), 0);
        assertEquals(0x3C00, (bytes[0] & 0xFF) | (bytes[1] & 0xFF) << 8);
        assertEquals(127, bytes[2]);
        assertEquals(3, bytes[3]);
        assertEquals(-3, bytes[4]);
        assertEquals(0, bytes[5]);
        assertEquals(-127, bytes[6]);
    }

    /**
     * Bound: d/2 from rounding each quant, plus up to 127 half-ulps (2^-11 relative) of the f16 scale.
     * Relative RMS error below 0.01 (measured 0.005).
     */
    @Test
    void roundTripErrorIsWithinHalfAStep() {
        Random rnd = new Random(3);
        float[] src = FormatChecks.weights(rnd, 32 * 512, 32);
        float[] back = FormatChecks.roundTrip(FORMAT, src);
        for (int b = 0; b < src.length; b += 32) {
            float amax = 0f;
            for (int j = b; j < b + 32; j++) {
                amax = Math.max(amax, Math.abs(src[j]));
            }
            float d = amax / 127f;
            double bound = d * (0.5 + 127.0 / 2048) * 1.001;
            for (int j = b; j < b + 32; j++) {
                assertTrue(Math.abs(src[j] - back[j]) <= bound, "element " + j);
            }
        }
        assertTrue(FormatChecks.relativeRms(src, back) < 0.01);
    }

    @Test
    void zeroBlockStaysZero() {
        float[] back = FormatChecks.roundTrip(FORMAT, new float[64]);
        for (float v : back) {
            assertEquals(0f, Math.abs(v));
        }
    }

    @Test
    void rejectsPartialBlocks() {
        FormatChecks.assertRejectsPartialBlocks(FORMAT);
    }
}
