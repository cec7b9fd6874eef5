package dev.gantry.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BF16FormatTest {

    private static final TensorFormat FORMAT = TensorFormats.of(GgmlType.BF16);

    private static int encode(float value) {
        byte[] bytes = new byte[2];
        FORMAT.quantize(new float[] {value}, 0, 1, MemorySegment.ofArray(bytes), 0);
        return (bytes[0] & 0xFF) | (bytes[1] & 0xFF) << 8;
    }

    private static int encodeBits(int floatBits) {
        return encode(Float.intBitsToFloat(floatBits));
    }

    /** A bf16 value is the f32 whose upper 16 bits are the pattern and lower 16 bits zero. */
    @Test
    void dequantizeEveryBitPattern() {
        byte[] data = new byte[65536 * 2];
        float[] expected = new float[65536];
        for (int bits = 0; bits < 65536; bits++) {
            data[2 * bits] = (byte) bits;
            data[2 * bits + 1] = (byte) (bits >>> 8);
            expected[bits] = Float.intBitsToFloat(bits << 16);
        }
        float[] out = new float[65536];
        FORMAT.dequantize(MemorySegment.ofArray(data), 0, out, 0, out.length);
        assertArrayEquals(expected, out);
        assertEquals(1f, out[0x3F80]);
        assertEquals(Float.NEGATIVE_INFINITY, out[0xFF80]);
    }

    @Test
    void quantizeSpecialValues() {
        assertEquals(0x7F80, encode(Float.POSITIVE_INFINITY));
        assertEquals(0xFF80, encode(Float.NEGATIVE_INFINITY));
        assertEquals(0x8000, encode(-0.0f));
        assertEquals(0x7F80, encode(Float.MAX_VALUE)); // rounds up past the largest bf16
        assertEquals(0x7FC0, encode(Float.NaN));
        // A signalling NaN whose payload lies in the dropped bits must not become infinity.
        assertEquals(0x7FC0, encodeBits(0x7F80_0001));
        assertEquals(0xFFC0, encodeBits(0xFF80_0001));
        // Subnormals are kept, not flushed to zero.
        assertEquals(0x0001, encodeBits(0x0001_0000));
        assertEquals(0x8001, encodeBits(0x8001_0000));
    }

    @Test
    void quantizeRoundsTiesToEven() {
        assertEquals(0x3F80, encodeBits(0x3F80_8000)); // 1 + 2^-8: halfway, to even
        assertEquals(0x3F82, encodeBits(0x3F81_8000)); // 1 + 3*2^-8: halfway, to even
        assertEquals(0x3F81, encodeBits(0x3F80_8001)); // just above halfway
        assertEquals(0x3F80, encodeBits(0x3F80_7FFF)); // just below halfway
        assertEquals(0x0000, encodeBits(0x0000_8000)); // subnormal tie to even
        assertEquals(0x0002, encodeBits(0x0001_8000));
    }

    @Test
    void everyBf16SurvivesARoundTrip() {
        for (int bits = 0; bits < 65536; bits++) {
            float v = Float.intBitsToFloat(bits << 16);
            if (!Float.isNaN(v)) {
                assertEquals(bits, encode(v), "bits " + Integer.toHexString(bits));
            }
        }
    }

    /** Bound: one rounding to an 8-bit significand, relative error at most 2^-8 (normal range). */
    @Test
    void roundTripErrorIsOneRounding() {
        Random rnd = new Random(4);
        float[] src = new float[1000];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) (rnd.nextGaussian() * 1e-3);
        }
        float[] back = FormatChecks.roundTrip(FORMAT, src);
        for (int i = 0; i < src.length; i++) {
            assertTrue(Math.abs(src[i] - back[i]) <= Math.abs(src[i]) * 0x1p-8f, "element " + i);
        }
    }

    @Test
    void dotMatchesDequantizeThenDot() {
        Random rnd = new Random(5);
        float[] src = new float[4096];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) rnd.nextGaussian();
        }
        byte[] data = new byte[4096 * 2];
        MemorySegment segment = MemorySegment.ofArray(data);
        FORMAT.quantize(src, 0, src.length, segment, 0);
        FormatChecks.assertDotMatchesDequantize(FORMAT, segment, 0, 4096, 20);
        FormatChecks.assertDotMatchesDequantize(FORMAT, segment, 33, 101, 21);
    }
}
