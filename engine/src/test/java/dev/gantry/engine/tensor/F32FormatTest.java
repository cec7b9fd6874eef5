package dev.gantry.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class F32FormatTest {

    private static final TensorFormat FORMAT = TensorFormats.of(GgmlType.F32);

    /** Little-endian IEEE singles: byte 0 is the lowest byte of the bit pattern. */
    private static byte[] encode(float[] values) {
        byte[] data = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            for (int k = 0; k < 4; k++) {
                data[4 * i + k] = (byte) (bits >>> (8 * k));
            }
        }
        return data;
    }

    private static float[] randomValues(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        v[0] = Float.POSITIVE_INFINITY;
        v[1] = -0.0f;
        v[2] = Float.MIN_VALUE;
        v[3] = Float.NaN;
        return v;
    }

    @Test
    void dequantizeReadsLittleEndianSingles() {
        float[] expected = randomValues(new Random(1), 100);
        MemorySegment data = MemorySegment.ofArray(encode(expected));
        float[] out = new float[100];
        FORMAT.dequantize(data, 0, out, 0, 100);
        assertArrayEquals(expected, out);

        float[] tail = new float[2 + 37];
        FORMAT.dequantize(data, 50, tail, 2, 37);
        assertArrayEquals(Arrays.copyOfRange(expected, 50, 87), Arrays.copyOfRange(tail, 2, 39));
    }

    @Test
    void quantizeWritesTheSameBytes() {
        float[] values = randomValues(new Random(2), 37);
        byte[] bytes = new byte[8 + 37 * 4];
        FORMAT.quantize(values, 0, 37, MemorySegment.ofArray(bytes), 8);
        assertArrayEquals(encode(values), Arrays.copyOfRange(bytes, 8, bytes.length));
    }

    @Test
    void dotMatchesDequantizeThenDot() {
        Random rnd = new Random(3);
        float[] values = new float[4096];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) rnd.nextGaussian();
        }
        MemorySegment data = MemorySegment.ofArray(encode(values));
        FormatChecks.assertDotMatchesDequantize(FORMAT, data, 0, 4096, 20);
        FormatChecks.assertDotMatchesDequantize(FORMAT, data, 1000, 37, 21);
    }

    @Test
    void knownValue() {
        byte[] one = {0, 0, (byte) 0x80, 0x3F};
        assertEquals(1f, FORMAT.dot(MemorySegment.ofArray(one), 0, new float[] {1f}, 0, 1));
    }
}
