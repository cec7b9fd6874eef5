package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The vector tensor formats against their scalar twins, on random data. Public and free of JUnit annotations so
 * that {@code dev.gantry.engine.compute.ParityAtWidth} can run the same checks in a JVM forced to another vector
 * width.
 *
 * <p>Tolerances: decoding must be bit-identical (both compute {@code q × d} in float, or widen halves exactly);
 * a dot product may differ by rounding only, at most {@link #DOT_TOLERANCE} of {@code Σ|w·x|} (both sums
 * are taken in float in blocks of at most 32 products before they join the total; their worst-case rounding
 * is about 100 ulps of that magnitude, well under the bound).
 */
public final class FormatParityChecks {

    /** Allowed |vector − scalar| for a dot product, relative to {@code Σ|w·x|}. */
    public static final double DOT_TOLERANCE = 2e-5;

    /**
     * Allowed |dot4 − dot| relative to {@code Σ|w·x|}: the same products and block sums, only the final sum of at
     * most 16 lanes possibly in another order (at most about 16 float roundings of that magnitude).
     */
    public static final double LANE_ORDER_TOLERANCE = 2e-6;

    /** The types with vector kernels. */
    public static final GgmlType[] VECTOR_TYPES = {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0,
            GgmlType.Q4_0};

    private FormatParityChecks() {
    }

    /** Runs every check for every type with a vector kernel. */
    public static void all() {
        for (GgmlType type : VECTOR_TYPES) {
            dequantizeIsBitIdentical(type);
            rowDecodingEqualsDecodingEachRow(type);
            dotAgrees(type);
            fourRowDotsEqualSingleDots(type);
        }
        halfSpecialValuesDecodeExactly();
        halfSpecialValuesInDotProducts();
        specialBlockScalesDecodeExactly(GgmlType.Q8_0);
        specialBlockScalesDecodeExactly(GgmlType.Q4_0);
        everyBlockScaleInFourRowDots(GgmlType.Q8_0);
        everyBlockScaleInFourRowDots(GgmlType.Q4_0);
    }

    /** Decoding whole tensors and sub-ranges gives the scalar twin's floats exactly. */
    public static void dequantizeIsBitIdentical(GgmlType type) {
        Random rnd = new Random(type.id() * 31L + 7);
        int block = type.blockSize();
        int n = 64 * 32 + (block == 1 ? 13 : 0);
        MemorySegment data = encode(type, values(rnd, n));
        for (int[] range : ranges(type, n)) {
            int first = range[0];
            int len = range[1];
            float[] expected = new float[len + 3];
            float[] actual = new float[len + 3];
            TensorFormats.scalar(type).dequantize(data, first, expected, 3, len);
            TensorFormats.of(type).dequantize(data, first, actual, 3, len);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        () -> type + " decode differs in range " + first + "+" + len);
            }
        }
    }

    /**
     * {@link TensorFormat#dequantizeRows} gives, row by row, the scalar twin's {@code dequantize} of that row, bit for
     * bit, and writes nothing between or around the rows; a destination too short for its last row is refused.
     */
    public static void rowDecodingEqualsDecodingEachRow(GgmlType type) {
        int cols = 256;
        int rows = 9;
        MemorySegment data = encode(type, values(new Random(type.id() * 13L + 5), rows * cols));
        // {first row, first column, rows, columns, destination offset, destination stride}
        int[][] cases = {{0, 0, 9, 256, 0, 256}, {1, 64, 8, 128, 3, 256}, {2, 32, 1, 32, 0, 40},
                {0, 224, 9, 32, 5, 37}, {4, 0, 0, 64, 0, 64}};
        for (int[] c : cases) {
            int count = c[2];
            int len = c[3];
            int dstOff = c[4];
            int stride = c[5];
            long first = (long) c[0] * cols + c[1];
            float[] expected = new float[dstOff + Math.max(0, count - 1) * stride + len + 4];
            float[] actual = new float[expected.length];
            Arrays.fill(expected, -1f);
            Arrays.fill(actual, -1f);
            for (int r = 0; r < count; r++) {
                TensorFormats.scalar(type).dequantize(data, first + (long) r * cols, expected, dstOff + r * stride,
                        len);
            }
            TensorFormats.of(type).dequantizeRows(data, first, cols, count, actual, dstOff, stride, len);
            for (int i = 0; i < expected.length; i++) {
                int at = i;
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        () -> type + " row decode differs at " + at + " for case " + Arrays.toString(c));
            }
        }
        float[] tooShort = new float[2 * cols - 1];
        assertThrows(IndexOutOfBoundsException.class,
                () -> TensorFormats.of(type).dequantizeRows(data, 0, cols, 2, tooShort, 0, cols, cols));
    }

    /** Dot products over sub-ranges and offsets agree within {@link #DOT_TOLERANCE}. */
    public static void dotAgrees(GgmlType type) {
        Random rnd = new Random(type.id() * 17L + 3);
        int block = type.blockSize();
        int n = 64 * 32 + (block == 1 ? 13 : 0);
        float[] values = values(rnd, n);
        MemorySegment data = encode(type, values);
        float[] decoded = new float[n];
        TensorFormats.scalar(type).dequantize(data, 0, decoded, 0, n);
        for (int[] range : ranges(type, n)) {
            int first = range[0];
            int len = range[1];
            int xOff = rnd.nextInt(5);
            float[] x = new float[xOff + len];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            double magnitude = magnitude(decoded, first, x, xOff, len);
            float expected = TensorFormats.scalar(type).dot(data, first, x, xOff, len);
            float actual = TensorFormats.of(type).dot(data, first, x, xOff, len);
            assertEquals(expected, actual, DOT_TOLERANCE * magnitude + Float.MIN_NORMAL,
                    () -> type + " dot over " + first + "+" + len);
        }
    }

    /**
     * F16 dot products over rows holding an infinity, a NaN, or the largest finite half: the vector kernels, one
     * row at a time and four at once, give what the scalar twin gives (an infinity, a NaN, or a finite sum within
     * the usual tolerance), whichever lane and which of the four rows the special value falls in.
     */
    public static void halfSpecialValuesInDotProducts() {
        int cols = 2048 + 13;
        short[] specials = {0x7C00, (short) 0xFC00, 0x7E00, 0x7BFF, (short) 0xFBFF};
        Random rnd = new Random(29);
        TensorFormat scalar = TensorFormats.scalar(GgmlType.F16);
        TensorFormat vector = TensorFormats.of(GgmlType.F16);
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        for (short special : specials) {
            for (int at : new int[] {0, 17, 1000, cols - 1}) {
                for (int row = 0; row < 4; row++) {
                    MemorySegment data = encode(GgmlType.F16, values(rnd, 4 * cols));
                    data.set(LittleEndian.SHORT, 2L * (row * cols + at), special);
                    float[] out = new float[4];
                    dot4(vector, data, 0, cols, x, 0, cols, out, 0, 1);
                    for (int k = 0; k < 4; k++) {
                        float want = scalar.dot(data, (long) k * cols, x, 0, cols);
                        float one = vector.dot(data, (long) k * cols, x, 0, cols);
                        String what = "half " + Integer.toHexString(special & 0xFFFF) + " at " + at + " of row " + row
                                + ", row " + k;
                        if (Float.isFinite(want)) {
                            double tolerance = 1e-3 * Math.abs(want) + 1e-2;
                            assertEquals(want, one, tolerance, what + " (dot)");
                            assertEquals(want, out[k], tolerance, what + " (dot4)");
                        } else {
                            assertEquals(want, one, what + " (dot)");
                            assertEquals(want, out[k], what + " (dot4)");
                        }
                    }
                }
            }
        }
    }

    /** Half-precision zeros, subnormals, extremes, infinities and NaNs decode as the scalar code does. */
    public static void halfSpecialValuesDecodeExactly() {
        short[] bits = {0x0000, (short) 0x8000, 0x0001, 0x03FF, (short) 0x8201, 0x0400, 0x7BFF, (short) 0xFBFF,
                0x7C00, (short) 0xFC00, 0x7E00, 0x7C01, (short) 0xFF00, 0x3C00, 0x3555, (short) 0xC000};
        int n = 64;
        MemorySegment data = MemorySegment.ofArray(new byte[2 * n]);
        for (int i = 0; i < n; i++) {
            data.set(LittleEndian.SHORT, 2L * i, bits[i % bits.length]);
        }
        float[] expected = new float[n];
        float[] actual = new float[n];
        TensorFormats.scalar(GgmlType.F16).dequantize(data, 0, expected, 0, n);
        TensorFormats.of(GgmlType.F16).dequantize(data, 0, actual, 0, n);
        for (int i = 0; i < n; i++) {
            int index = i;
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    () -> "half " + Integer.toHexString(bits[index % bits.length] & 0xFFFF));
        }
    }

    /**
     * Blocks whose half-precision scale is a zero, a subnormal, the largest finite half, an infinity or a NaN decode
     * as the scalar twin decodes them, bit for bit ({@code type}: a 32-element block format with its scale first).
     */
    public static void specialBlockScalesDecodeExactly(GgmlType type) {
        short[] scales = {0x0000, (short) 0x8000, 0x0001, 0x7BFF, (short) 0xFBFF, 0x7C00, (short) 0xFC00, 0x7E00};
        int n = 32 * scales.length;
        MemorySegment data = encode(type, values(new Random(type.id()), n));
        for (int b = 0; b < scales.length; b++) {
            data.set(LittleEndian.SHORT, b * type.blockBytes(), scales[b]);
        }
        float[] expected = new float[n];
        float[] actual = new float[n];
        TensorFormats.scalar(type).dequantize(data, 0, expected, 0, n);
        TensorFormats.of(type).dequantize(data, 0, actual, 0, n);
        for (int i = 0; i < n; i++) {
            short scale = scales[i / 32];
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    () -> type + " block scale " + Integer.toHexString(scale & 0xFFFF));
        }
    }

    /**
     * {@link TensorFormat#dot4} widens every half-precision block scale as the scalar twin does: each of the 65536
     * halves in turn is the scale of one block of one of the four rows, the block whose activations alone are not
     * zero (the other blocks' scales are 1), so that row's product is that block's alone. Finite scales agree with
     * the twin within {@link #DOT_TOLERANCE}, which a wrongly widened scale (a subnormal taken as zero, say) exceeds;
     * infinite and NaN scales give a result that is not finite, as the twin's is not ({@code type}: a 32-element
     * block format with its scale first).
     */
    public static void everyBlockScaleInFourRowDots(GgmlType type) {
        int blocks = 4;
        int n = 32 * blocks;
        Random rnd = new Random(type.id() * 17L + 3);
        MemorySegment data = encode(type, values(rnd, 4 * n));
        TensorFormat scalar = TensorFormats.scalar(type);
        TensorFormat format = TensorFormats.of(type);
        float[] decoded = new float[4 * n];
        float[] x = new float[n];
        float[] out = new float[4];
        for (int half = 0; half < 0x10000; half += 4) {
            int hot = half / 4 % blocks;
            Arrays.fill(x, 0f);
            for (int i = 32 * hot; i < 32 * (hot + 1); i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            for (int row = 0; row < 4; row++) {
                for (int b = 0; b < blocks; b++) {
                    short scale = b == hot ? (short) (half + row) : (short) 0x3C00;
                    data.set(LittleEndian.SHORT, (long) (row * blocks + b) * type.blockBytes(), scale);
                }
            }
            scalar.dequantize(data, 0, decoded, 0, decoded.length);
            dot4(format, data, 0, n, x, 0, n, out, 0, 1);
            for (int row = 0; row < 4; row++) {
                float want = scalar.dot(data, (long) row * n, x, 0, n);
                String what = type + " block scale " + Integer.toHexString(half + row);
                if (Float.isFinite(want)) {
                    double tolerance = DOT_TOLERANCE * magnitude(decoded, row * n, x, 0, n) + Float.MIN_NORMAL;
                    assertEquals(want, out[row], tolerance, what);
                } else {
                    assertEquals(false, Float.isFinite(out[row]), what + ": " + want + " from the twin");
                }
            }
        }
    }

    /**
     * {@link TensorFormat#dot4} as the CPU product calls it: with the block scales widened beforehand where the
     * format reads them (built here from {@code data} as it is now, so a test that rewrites scales gets them new).
     */
    private static void dot4(TensorFormat format, MemorySegment data, long first, long stride, float[] x, int xOff,
                             int n, float[] out, int outOff, int outStride) {
        BlockScales scales = format.readsBlockScales() ? BlockScales.of(format.type(), data) : null;
        format.dot4(data, scales, first, stride, x, xOff, n, out, outOff, outStride);
    }

    /** Weight-like values (spread varying per 32) for any {@code n}. */
    private static float[] values(Random rnd, int n) {
        return Arrays.copyOf(FormatChecks.weights(rnd, (n + 31) / 32 * 32, 32), n);
    }

    private static MemorySegment encode(GgmlType type, float[] values) {
        MemorySegment data = MemorySegment.ofArray(new byte[(int) type.bytesFor(values.length)]);
        TensorFormats.scalar(type).quantize(values, 0, values.length, data, 0);
        return data;
    }

    /**
     * {@link TensorFormat#dot4} gives each of its four rows what {@link TensorFormat#dot} gives it, up to the order
     * in which the final lane sum is taken (which the Vector API leaves to the JIT): a tolerance of
     * {@link #LANE_ORDER_TOLERANCE} of {@code Σ|w·x|}, far below {@link #DOT_TOLERANCE}. Rows one, two and three
     * rows apart, starting at the first row and further in, over whole rows and sub-ranges.
     */
    public static void fourRowDotsEqualSingleDots(GgmlType type) {
        Random rnd = new Random(type.id() * 13L + 5);
        int cols = 64 * 32 + (type.blockSize() == 1 ? 13 : 0);
        int rows = 11;
        float[] values = values(rnd, cols * rows);
        MemorySegment data = encode(type, values);
        float[] decoded = new float[cols * rows];
        TensorFormats.scalar(type).dequantize(data, 0, decoded, 0, decoded.length);
        TensorFormat format = TensorFormats.of(type);
        for (int[] range : ranges(type, cols)) {
            for (int rowStride = 1; rowStride <= 3; rowStride++) {
                for (int firstRow : new int[] {0, 1, rows - 1 - 3 * rowStride}) {
                    long first = (long) firstRow * cols + range[0];
                    long stride = (long) rowStride * cols;
                    int len = range[1];
                    int xOff = rnd.nextInt(5);
                    float[] x = new float[xOff + len];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) rnd.nextGaussian();
                    }
                    float[] out = new float[2 + 3 * 5 + 1];
                    dot4(format, data, first, stride, x, xOff, len, out, 2, 5);
                    for (int k = 0; k < 4; k++) {
                        long row = first + k * stride;
                        double magnitude = magnitude(decoded, (int) row, x, xOff, len);
                        float want = format.dot(data, row, x, xOff, len);
                        assertEquals(want, out[2 + 5 * k], LANE_ORDER_TOLERANCE * magnitude + Float.MIN_NORMAL,
                                () -> type + " four-row dot, row at element " + row + ", " + len + " elements");
                    }
                }
            }
        }
    }

    /** {@code Σ|w·x|} over {@code len} elements: the scale the dot-product tolerances are relative to. */
    private static double magnitude(float[] w, int wOff, float[] x, int xOff, int len) {
        double sum = 0;
        for (int i = 0; i < len; i++) {
            sum += Math.abs((double) w[wOff + i] * x[xOff + i]);
        }
        return sum;
    }

    /** Whole tensor, single blocks, odd starts and, for plain types, lengths that leave vector tails. */
    private static int[][] ranges(GgmlType type, int n) {
        int b = type.blockSize();
        if (b == 1) {
            return new int[][] {{0, n}, {0, 1}, {3, 7}, {5, 16}, {1, 31}, {17, 64}, {9, 100}, {0, 2048}, {1, n - 1}};
        }
        return new int[][] {{0, n}, {0, b}, {b, b}, {3 * b, 2 * b}, {5 * b, 7 * b}, {b, n - 2 * b}, {0, 2048}};
    }
}
