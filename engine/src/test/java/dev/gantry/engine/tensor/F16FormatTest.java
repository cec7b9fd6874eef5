package dev.gantry.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class F16FormatTest {

    private static final TensorFormat FORMAT = TensorFormats.of(GgmlType.F16);

    private static int encode(float value) {
        byte[] bytes = new byte[2];
        FORMAT.quantize(new float[] {value}, 0, 1, MemorySegment.ofArray(bytes), 0);
        return (bytes[0] & 0xFF) | (bytes[1] & 0xFF) << 8;
    }

    /** Every one of the 65536 patterns, including infinities, NaNs and subnormals, decodes by definition. */
    @Test
    void dequantizeEveryBitPattern() {
        byte[] data = new byte[65536 * 2];
        float[] expected = new float[65536];
        for (int bits = 0; bits < 65536; bits++) {
            ReferenceHalf.put(data, 2 * bits, bits);
            expected[bits] = ReferenceHalf.value(bits);
        }
        float[] out = new float[65536];
        FORMAT.dequantize(MemorySegment.ofArray(data), 0, out, 0, out.length);
        assertArrayEquals(expected, out);
        assertEquals(Float.POSITIVE_INFINITY, out[0x7C00]);
        assertEquals(0x1p-24f, out[0x0001]);
        assertTrue(Float.isNaN(out[0x7E00]));
    }

    @Test
    void quantizeSpecialValues() {
        assertEquals(0x7C00, encode(Float.POSITIVE_INFINITY));
        assertEquals(0xFC00, encode(Float.NEGATIVE_INFINITY));
        int nan = encode(Float.NaN);
        assertTrue((nan & 0x7C00) == 0x7C00 && (nan & 0x3FF) != 0, "NaN stays NaN");
        assertEquals(0x8000, encode(-0.0f));
        assertEquals(0x7BFF, encode(65504f));
        assertEquals(0x7BFF, encode(65519.996f));
        assertEquals(0x7C00, encode(65520f)); // halfway to the next binade rounds to even: infinity
        assertEquals(0x0400, encode(0x1p-14f)); // smallest normal
        assertEquals(0x03FF, encode(1023 * 0x1p-24f)); // largest subnormal
        assertEquals(0x0001, encode(0x1p-24f));
        assertEquals(0x0000, encode(Float.MIN_VALUE));
    }

    @Test
    void quantizeRoundsTiesToEven() {
        assertEquals(0x3C00, encode(1f + 0x1p-11f)); // halfway between 0x3C00 and 0x3C01
        assertEquals(0x3C02, encode(1f + 3 * 0x1p-11f)); // halfway between 0x3C01 and 0x3C02
        assertEquals(0x3C01, encode(1f + 0x1p-11f + 0x1p-20f)); // just above halfway
        assertEquals(0x0000, encode(0x1p-25f)); // subnormal tie: half of the smallest step
        assertEquals(0x0002, encode(3 * 0x1p-25f));
        assertEquals(0x0001, encode(1.5f * 0x1p-25f));
    }

    @Test
    void everyHalfSurvivesARoundTrip() {
        for (int bits = 0; bits < 65536; bits++) {
            float v = ReferenceHalf.value(bits);
            if (!Float.isNaN(v)) {
                assertEquals(bits, encode(v), "bits " + Integer.toHexString(bits));
            }
        }
    }

    /** Bound: in the normal range one rounding to an 11-bit significand, relative error at most 2^-11. */
    @Test
    void roundTripErrorIsOneRounding() {
        Random rnd = new Random(4);
        float[] src = new float[1000];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) (rnd.nextGaussian() * 100);
        }
        float[] back = FormatChecks.roundTrip(FORMAT, src);
        for (int i = 0; i < src.length; i++) {
            if (Math.abs(src[i]) >= 0x1p-14f) {
                assertTrue(Math.abs(src[i] - back[i]) <= Math.abs(src[i]) * 0x1p-11f, "element " + i);
            }
        }
    }

    @Test
    void dotMatchesDequantizeThenDot() {
        Random rnd = new Random(5);
        byte[] data = new byte[4096 * 2];
        for (int i = 0; i < 4096; i++) {
            ReferenceHalf.put(data, 2 * i, ReferenceHalf.random(rnd, 8, 18, true));
        }
        MemorySegment segment = MemorySegment.ofArray(data);
        FormatChecks.assertDotMatchesDequantize(FORMAT, segment, 0, 4096, 20);
        FormatChecks.assertDotMatchesDequantize(FORMAT, segment, 33, 101, 21);
    }
}
