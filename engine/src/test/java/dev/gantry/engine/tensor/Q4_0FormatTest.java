package dev.gantry.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Q4_0FormatTest {

    private static final TensorFormat FORMAT = TensorFormats.of(GgmlType.Q4_0);
    private static final int BLOCKS = 40;

    /** Random blocks: f16 d, then byte j = q[j] | q[j+16] << 4; each element is d * (q - 8). */
    private static byte[] randomBlocks(Random rnd, float[] expected) {
        byte[] data = new byte[BLOCKS * 18];
        for (int b = 0; b < BLOCKS; b++) {
            int dBits = ReferenceHalf.random(rnd, 3, 16, true);
            ReferenceHalf.put(data, b * 18, dBits);
            float d = ReferenceHalf.value(dBits);
            int[] q = new int[32];
            for (int j = 0; j < 32; j++) {
                q[j] = rnd.nextInt(16);
                expected[b * 32 + j] = d * (q[j] - 8);
            }
            for (int j = 0; j < 16; j++) {
                data[b * 18 + 2 + j] = (byte) (q[j] | q[j + 16] << 4);
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

        float[] tail = new float[7 + 96];
        FORMAT.dequantize(data, 32, tail, 7, 96);
        assertArrayEquals(Arrays.copyOfRange(expected, 32, 128), Arrays.copyOfRange(tail, 7, 103));
    }

    @Test
    void knownBlock() {
        byte[] block = new byte[18];
        ReferenceHalf.put(block, 0, 0x4000); // 2.0
        block[2] = (byte) 0x9F; // element 0: 15, element 16: 9
        block[17] = (byte) 0x08; // element 15: 8, element 31: 0
        float[] out = new float[32];
        FORMAT.dequantize(MemorySegment.ofArray(block), 0, out, 0, 32);
        assertEquals(14f, out[0]);
        assertEquals(2f, out[16]);
        assertEquals(0f, out[15]);
        assertEquals(-16f, out[31]);
        assertEquals(-16f, out[1]);
    }

    @Test
    void dotMatchesDequantizeThenDot() {
        MemorySegment data = MemorySegment.ofArray(randomBlocks(new Random(2), new float[BLOCKS * 32]));
        FormatChecks.assertDotMatchesDequantize(FORMAT, data, 0, BLOCKS * 32, 20);
        FormatChecks.assertDotMatchesDequantize(FORMAT, data, 96, 32 * 9, 21);
    }

    /** ggml's reference: d = max / -8 for the signed value of largest magnitude, q = min(15, (int) (x/d + 8.5)). */
    @Test
    void quantizeFollowsTheGgmlReference() {
        float[] src = new float[32];
        src[0] = -4f; // the extreme: d = 0.5, stored as q = 0
        src[1] = 1f; // 2 + 8.5 -> 10
        src[2] = 4f; // same magnitude, opposite sign: 16.5 -> clamped to 15
        src[3] = 0.2f; // 0.4 + 8.5 -> 8
        src[16] = -0.3f; // -0.6 + 8.5 -> 7
        byte[] bytes = new byte[18];
        FORMAT.quantize(src, 0, 32, MemorySegment.ofArray(bytes), 0);
        assertEquals(0x3800, (bytes[0] & 0xFF) | (bytes[1] & 0xFF) << 8);
        assertEquals(0x70, bytes[2] & 0xFF);
        assertEquals(0x8A, bytes[3] & 0xFF);
        assertEquals(0x8F, bytes[4] & 0xFF);
        assertEquals(0x88, bytes[5] & 0xFF);
    }

    /**
     * Bound: the step is amax/8; rounding costs half a step, except a value of the extreme's opposite
     * sign at full magnitude, clamped to q = 15, which costs a whole step (plus f16 scale rounding).
     * Relative RMS error below 0.10 (measured 0.085).
     */
    @Test
    void roundTripErrorIsWithinOneStep() {
        Random rnd = new Random(3);
        float[] src = FormatChecks.weights(rnd, 32 * 512, 32);
        float[] back = FormatChecks.roundTrip(FORMAT, src);
        for (int b = 0; b < src.length; b += 32) {
            float amax = 0f;
            for (int j = b; j < b + 32; j++) {
                amax = Math.max(amax, Math.abs(src[j]));
            }
            double bound = amax / 8.0 * (1 + 8.0 / 2048) * 1.001;
            for (int j = b; j < b + 32; j++) {
                assertTrue(Math.abs(src[j] - back[j]) <= bound, "element " + j);
            }
        }
        double rms = FormatChecks.relativeRms(src, back);
        assertTrue(rms < 0.10, "relative RMS " + rms);
    }

    @Test
    void rejectsPartialBlocks() {
        FormatChecks.assertRejectsPartialBlocks(FORMAT);
    }
}
