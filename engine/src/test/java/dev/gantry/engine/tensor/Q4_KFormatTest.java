package dev.gantry.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Q4_KFormatTest {

    private static final TensorFormat FORMAT = TensorFormats.of(GgmlType.Q4_K);
    private static final int BLOCKS = 12;
    private static final int BYTES = 144;

    /**
     * Random super-blocks: f16 d, f16 dmin, packed 6-bit scales/mins, then per 64 elements 32 bytes whose
     * low nibbles are the first 32 quants and high nibbles the next 32. Element e of sub-block j = e / 32
     * is (d*sc[j]) * q - (dmin*m[j]), each product rounded to float.
     */
    private static byte[] randomBlocks(Random rnd, float[] expected) {
        byte[] data = new byte[BLOCKS * BYTES];
        for (int b = 0; b < BLOCKS; b++) {
            int base = b * BYTES;
            int dBits = ReferenceHalf.random(rnd, 3, 14, false);
            int dminBits = ReferenceHalf.random(rnd, 3, 14, false);
            ReferenceHalf.put(data, base, dBits);
            ReferenceHalf.put(data, base + 2, dminBits);
            float d = ReferenceHalf.value(dBits);
            float dmin = ReferenceHalf.value(dminBits);
            int[] sc = new int[8];
            int[] m = new int[8];
            for (int j = 0; j < 8; j++) {
                sc[j] = rnd.nextInt(64);
                m[j] = rnd.nextInt(64);
            }
            KScaleMinsPacking.pack(sc, m, data, base + 4);
            int[] q = new int[256];
            for (int e = 0; e < 256; e++) {
                q[e] = rnd.nextInt(16);
                float scale = d * sc[e / 32];
                float min = dmin * m[e / 32];
                expected[b * 256 + e] = scale * q[e] - min;
            }
            for (int c = 0; c < 4; c++) {
                for (int l = 0; l < 32; l++) {
                    data[base + 16 + 32 * c + l] = (byte) (q[64 * c + l] | q[64 * c + 32 + l] << 4);
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
        ReferenceHalf.put(block, 0, 0x3C00); // d = 1
        ReferenceHalf.put(block, 2, 0x3800); // dmin = 0.5
        int[] sc = {1, 2, 3, 4, 5, 17, 33, 63};
        int[] m = {0, 1, 2, 3, 4, 20, 40, 63};
        KScaleMinsPacking.pack(sc, m, block, 4);
        block[16] = (byte) 0x3A; // element 0: q=10 (sub-block 0), element 32: q=3 (sub-block 1)
        block[16 + 96 + 31] = (byte) 0xF1; // element 223: q=1 (sub-block 6), element 255: q=15 (sub-block 7)
        float[] out = new float[256];
        FORMAT.dequantize(MemorySegment.ofArray(block), 0, out, 0, 256);
        assertEquals(10f, out[0]);
        assertEquals(3f * 2 - 0.5f, out[32]);
        assertEquals(33f * 1 - 20f, out[223]);
        assertEquals(63f * 15 - 31.5f, out[255]);
        assertEquals(-10f, out[160]); // sub-block 5, q = 0
    }

    @Test
    void dotMatchesDequantizeThenDot() {
        MemorySegment data = MemorySegment.ofArray(randomBlocks(new Random(2), new float[BLOCKS * 256]));
        FormatChecks.assertDotMatchesDequantize(FORMAT, data, 0, BLOCKS * 256, 20);
        FormatChecks.assertDotMatchesDequantize(FORMAT, data, 256 * 3, 256 * 4, 21);
    }

    /**
     * Bounds: relative RMS error below 0.10 on Gaussian weights (measured 0.079, what a 4-bit grid over
     * each sub-block's full range gives; a packing or rounding fault makes it far worse), and each
     * element within the bound {@link KQuantRoundTrip} derives.
     */
    @Test
    void roundTripErrorIsSmall() {
        Random rnd = new Random(3);
        float[] src = FormatChecks.weights(rnd, 256 * 64, 256);
        float[] back = FormatChecks.roundTrip(FORMAT, src);
        double rms = FormatChecks.relativeRms(src, back);
        assertTrue(rms < 0.10, "relative RMS " + rms);
        KQuantRoundTrip.assertWithinBound(src, back, 15);
    }

    @Test
    void roundTripKeepsConstantAndZeroSubBlocks() {
        float[] src = new float[512];
        Arrays.fill(src, 32, 64, -0.75f);
        Arrays.fill(src, 64, 96, 0.25f);
        for (int i = 256; i < 512; i++) {
            src[i] = (i % 7 - 3) * 0.1f;
        }
        float[] back = FormatChecks.roundTrip(FORMAT, src);
        for (int i = 0; i < 32; i++) {
            assertEquals(0f, back[i], 1e-6f);
        }
        KQuantRoundTrip.assertWithinBound(src, back, 15);
    }

    @Test
    void rejectsPartialBlocks() {
        FormatChecks.assertRejectsPartialBlocks(FORMAT);
    }
}
