package dev.gantry.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Q6_KFormatTest {

    private static final TensorFormat FORMAT = TensorFormats.of(GgmlType.Q6_K);
    private static final int BLOCKS = 12;
    private static final int BYTES = 210;

    /**
     * Random super-blocks: 128 bytes ql, 64 bytes qh, 16 int8 scales, f16 d. In half h (128 elements),
     * for l &lt; 32 the quants of elements l, l+32, l+64, l+96 have low nibbles in ql[64h+l] (low),
     * ql[64h+l+32] (low), ql[64h+l] (high), ql[64h+l+32] (high) and high bit pairs 0-1, 2-3, 4-5, 6-7 of
     * qh[32h+l]. Element e is (d*sc[e/16]) * (q - 32).
     */
    private static byte[] randomBlocks(Random rnd, float[] expected) {
        byte[] data = new byte[BLOCKS * BYTES];
        for (int b = 0; b < BLOCKS; b++) {
            int base = b * BYTES;
            int dBits = ReferenceHalf.random(rnd, 3, 14, true);
            ReferenceHalf.put(data, base + 208, dBits);
            float d = ReferenceHalf.value(dBits);
            int[] sc = new int[16];
            for (int s = 0; s < 16; s++) {
                sc[s] = rnd.nextInt(256) - 128;
                data[base + 192 + s] = (byte) sc[s];
            }
            int[] q = new int[256];
            for (int e = 0; e < 256; e++) {
                q[e] = rnd.nextInt(64);
                float scale = d * sc[e / 16];
                expected[b * 256 + e] = scale * (q[e] - 32);
            }
            for (int h = 0; h < 2; h++) {
                for (int l = 0; l < 32; l++) {
                    int q1 = q[128 * h + l];
                    int q2 = q[128 * h + l + 32];
                    int q3 = q[128 * h + l + 64];
                    int q4 = q[128 * h + l + 96];
                    data[base + 64 * h + l] = (byte) ((q1 & 15) | (q3 & 15) << 4);
                    data[base + 64 * h + l + 32] = (byte) ((q2 & 15) | (q4 & 15) << 4);
                    data[base + 128 + 32 * h + l] = (byte) (q1 >> 4 | (q2 >> 4) << 2 | (q3 >> 4) << 4 | (q4 >> 4) << 6);
                }
            }
        }
        return data;
    }

    @Test
    void dequantizeFollowsTheBlockDefinition() {
        float[] expected = new float[BLOCKS * 256];
        MemorySegment data = MemorySegment.ofArray(randomBlocks(new Random(1), expected));

        float[] all = new float[expected.length];
        FORMAT.dequantize(data, 0, all, 0, all.length);
        assertArrayEquals(expected, all);

        float[] tail = new float[3 + 512];
        FORMAT.dequantize(data, 256 * 5, tail, 3, 512);
        assertArrayEquals(Arrays.copyOfRange(expected, 256 * 5, 256 * 7), Arrays.copyOfRange(tail, 3, 515));
    }

    @Test
    void knownBlock() {
        byte[] block = new byte[BYTES];
        ReferenceHalf.put(block, 208, 0x3800); // d = 0.5
        for (int s = 0; s < 16; s++) {
            block[192 + s] = (byte) (s - 8);
        }
        block[0] = (byte) 0x5F; // element 0 low nibble 15, element 64 low nibble 5
        block[128] = (byte) 0b11_00_00_10; // element 0 high bits 2 (q=47), element 96 high bits 3
        block[64 + 63] = (byte) 0x07; // second half, l = 31: element 191 low nibble 7, element 255 low nibble 0
        float[] out = new float[256];
        FORMAT.dequantize(MemorySegment.ofArray(block), 0, out, 0, 256);
        assertEquals(0.5f * -8 * (47 - 32), out[0]);
        assertEquals(0.5f * -4 * (5 - 32), out[64]);
        assertEquals(0.5f * -2 * (48 - 32), out[96]);
        assertEquals(0.5f * 3 * (7 - 32), out[128 + 31 + 32]);
        assertEquals(0.5f * 7 * -32, out[128 + 31 + 96]);
        assertEquals(0.5f * -7 * -32, out[16]);
    }

    @Test
    void dotMatchesDequantizeThenDot() {
        MemorySegment data = MemorySegment.ofArray(randomBlocks(new Random(2), new float[BLOCKS * 256]));
        FormatChecks.assertDotMatchesDequantize(FORMAT, data, 0, BLOCKS * 256, 20);
        FormatChecks.assertDotMatchesDequantize(FORMAT, data, 256 * 3, 256 * 4, 21);
    }

    /**
     * Bounds: relative RMS error below 0.025 on Gaussian weights (measured 0.0195), and a
     * per-element bound from the encoding. With {@code A} the 16-element sub-block's largest magnitude
     * and {@code B} the super-block's, the ideal step is {@code A/32} and {@code d = B/4096}, whose f16
     * rounding (relative {@code rho}; coarse, as such a {@code d} is usually subnormal) and the 8-bit
     * scale's rounding and clamping leave the stored step within {@code e = d + B*rho/32} of the ideal.
     * An element is off by at most a step (the value opposite the extreme is clamped from +32 to +31)
     * plus 33 step errors.
     */
    @Test
    void roundTripErrorIsSmall() {
        Random rnd = new Random(3);
        float[] src = FormatChecks.weights(rnd, 256 * 64, 256);
        float[] back = FormatChecks.roundTrip(FORMAT, src);
        double rms = FormatChecks.relativeRms(src, back);
        assertTrue(rms < 0.025, "relative RMS " + rms);
        for (int b = 0; b < src.length; b += 256) {
            double blockMax = amax(src, b, 256);
            double d = blockMax / 4096;
            double rho = Math.max(0x1p-11, 0x1p-25 / d);
            double stepError = d * (1 + rho) + blockMax * rho / 32;
            for (int s = b; s < b + 256; s += 16) {
                double bound = (amax(src, s, 16) / 32 + 33 * stepError) * 1.001 + 1e-9;
                for (int i = s; i < s + 16; i++) {
                    double error = Math.abs(src[i] - back[i]);
                    assertTrue(error <= bound, "element " + i + " off by " + error + " > " + bound);
                }
            }
        }
    }

    @Test
    void zeroBlockStaysZero() {
        float[] back = FormatChecks.roundTrip(FORMAT, new float[256]);
        for (float v : back) {
            assertEquals(0f, Math.abs(v));
        }
    }

    @Test
    void rejectsPartialBlocks() {
        FormatChecks.assertRejectsPartialBlocks(FORMAT);
    }

    private static double amax(float[] v, int off, int n) {
        double max = 0;
        for (int i = off; i < off + n; i++) {
            max = Math.max(max, Math.abs(v[i]));
        }
        return max;
    }
}
