package dev.gantry.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.util.Random;

/** Checks every format must pass, stated once: dot against decode-then-dot, encoding error, range rules. */
final class FormatChecks {

    private FormatChecks() {
    }

    /**
     * {@code dot} over {@code [first, first+n)} equals the dot product of the decoded values, computed in
     * double, within 1e-5 of the sum of |products| (a relative bound that cancellation cannot defeat).
     */
    static void assertDotMatchesDequantize(TensorFormat format, MemorySegment data, long first, int n, long seed) {
        float[] w = new float[n];
        format.dequantize(data, first, w, 0, n);
        Random rnd = new Random(seed);
        int xOff = 3;
        float[] x = new float[xOff + n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        double expected = 0;
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            double p = (double) w[i] * x[xOff + i];
            expected += p;
            magnitude += Math.abs(p);
        }
        float actual = format.dot(data, first, x, xOff, n);
        assertEquals(expected, actual, 1e-5 * magnitude, format.type() + " dot over " + n + " from " + first);
    }

    /** Encodes {@code src}, decodes it again and returns the result. */
    static float[] roundTrip(TensorFormat format, float[] src) {
        MemorySegment data = MemorySegment.ofArray(new byte[(int) format.type().bytesFor(src.length)]);
        format.quantize(src, 0, src.length, data, 0);
        float[] back = new float[src.length];
        format.dequantize(data, 0, back, 0, src.length);
        return back;
    }

    /** Root-mean-square error of {@code actual} relative to the root-mean-square of {@code expected}. */
    static double relativeRms(float[] expected, float[] actual) {
        double error = 0;
        double signal = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = (double) expected[i] - actual[i];
            error += e * e;
            signal += (double) expected[i] * expected[i];
        }
        return Math.sqrt(error / signal);
    }

    /** Gaussian values whose spread changes from block to block, as weight rows do. */
    static float[] weights(Random rnd, int n, int blockSize) {
        float[] v = new float[n];
        for (int b = 0; b < n; b += blockSize) {
            double spread = Math.exp(rnd.nextGaussian());
            for (int i = b; i < b + blockSize; i++) {
                v[i] = (float) (rnd.nextGaussian() * spread * 0.02);
            }
        }
        return v;
    }

    /** Ranges that do not start or end on a block boundary are refused by every method. */
    static void assertRejectsPartialBlocks(TensorFormat format) {
        int block = format.type().blockSize();
        MemorySegment data = MemorySegment.ofArray(new byte[format.type().blockBytes() * 4]);
        float[] buffer = new float[block * 4];
        assertThrows(IllegalArgumentException.class, () -> format.dequantize(data, 1, buffer, 0, block));
        assertThrows(IllegalArgumentException.class, () -> format.dequantize(data, 0, buffer, 0, block + 1));
        assertThrows(IllegalArgumentException.class, () -> format.dot(data, 0, buffer, 0, block - 1));
        assertThrows(IllegalArgumentException.class, () -> format.dot(data, block + 2, buffer, 0, block));
        assertThrows(IllegalArgumentException.class, () -> format.quantize(buffer, 0, block + 3, data, 0));
    }
}
