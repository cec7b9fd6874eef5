package dev.gantry.engine.compute;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.TensorFormats;
import dev.gantry.engine.tensor.VectorWidth;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The compute kernels against their scalar twins on random inputs, as plain methods so that
 * {@link ParityAtWidth} can run them in a JVM forced to another vector width.
 *
 * <p>Tolerances, each stated where it is checked: products {@link #PRODUCT_TOLERANCE} of {@code Σ|w·x|};
 * RMSNorm and SwiGLU {@link #RELATIVE_TOLERANCE} of each value; softmax {@link #RELATIVE_TOLERANCE} of the
 * largest probability; RoPE bit-identical (the same products and sums, element by element).
 */
final class KernelParityChecks {

    /** Allowed |vector − scalar| for a dot product, relative to {@code Σ|w·x|} (float sums in other orders). */
    static final double PRODUCT_TOLERANCE = 2e-5;
    /** Allowed relative difference of element-wise results (a different sum order, exp within 2 ulps). */
    static final double RELATIVE_TOLERANCE = 1e-5;

    /**
     * Rows of the taller weight: on three threads the one-token product cuts it into 24 chunks of 49 rows, so each
     * of (up to sixteen) streams per chunk is a run of several rows, and rows are left over.
     */
    private static final int TALL_ROWS = 1157;

    private KernelParityChecks() {
    }

    /** Runs every check (the vector ones only when the Vector API is on). */
    static void all() {
        if (VectorWidth.enabled()) {
            panelProductsAgree();
            elementwiseAgree();
        }
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0,
                GgmlType.Q4_0, GgmlType.Q4_K}) {
            deviceMatmulMatchesRowDots(type);
        }
        sameActivationsProductsEqualFreshOnes();
    }

    /**
     * {@code matmulSameActivations} gives exactly what {@code matmul} gives — after a product of the same
     * activations, and also where the promise does not hold (another array, token count or width), where the
     * device must not reuse what it prepared.
     */
    static void sameActivationsProductsEqualFreshOnes() {
        Random rnd = new Random(7);
        int cols = 2048 + 64;
        int narrow = 1024;
        Tensor first = f32Weight(rnd, 37, cols);
        Tensor second = f32Weight(rnd, 53, cols);
        Tensor narrower = f32Weight(rnd, 29, narrow);
        float[] x = gaussian(rnd, 40 * cols);
        float[] y = gaussian(rnd, 40 * cols);
        try (CpuDevice device = new CpuDevice(3)) {
            float[] scratch = new float[40 * 53];
            device.matmul(first, x, 40, scratch);
            assertReused(device, second, x, 40, "the same activations");
            device.matmul(first, x, 40, scratch);
            assertReused(device, second, y, 40, "another array");
            device.matmul(first, x, 40, scratch);
            assertReused(device, second, x, 17, "fewer tokens");
            device.matmul(first, x, 40, scratch);
            assertReused(device, narrower, x, 40, "a narrower weight");
            // A plain product never reuses: the same array with new contents gives the new product.
            device.matmul(first, x, 40, scratch);
            System.arraycopy(y, 0, x, 0, x.length);
            float[] plain = new float[40 * second.rows()];
            device.matmul(second, x, 40, plain);
            float[] expected = new float[plain.length];
            device.matmul(second, y, 40, expected);
            assertArrayEquals(expected, plain, "matmul of rewritten activations");
        }
    }

    private static void assertReused(CpuDevice device, Tensor weight, float[] x, int n, String what) {
        float[] reused = new float[n * weight.rows()];
        device.matmulSameActivations(weight, x, n, reused);
        float[] fresh = new float[n * weight.rows()];
        device.matmul(weight, x, n, fresh);
        assertArrayEquals(fresh, reused, "matmulSameActivations after " + what);
    }

    private static Tensor f32Weight(Random rnd, int rows, int cols) {
        float[] values = gaussian(rnd, rows * cols);
        MemorySegment data = MemorySegment.ofArray(new byte[(int) GgmlType.F32.bytesFor(values.length)]);
        TensorFormats.scalar(GgmlType.F32).quantize(values, 0, values.length, data, 0);
        return new Tensor("w", GgmlType.F32, new long[] {cols, rows}, data);
    }

    /** Tiles of every shape (leftover rows, tokens and columns), over one column block or several. */
    static void panelProductsAgree() {
        Random rnd = new Random(11);
        PanelProduct vector = new VectorPanelProduct();
        PanelProduct scalar = new ScalarPanelProduct();
        int[][] shapes = {{1, 1, 1}, {4, 64, 4}, {5, 67, 3}, {8, 2048, 8}, {9, 33, 9}, {4, 172, 2}, {13, 256, 17},
                {3, 7, 5}, {8, 1536, 6}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int len = shape[1];
            int n = shape[2];
            int xStride = len + 5;
            int xOffset = 2;
            float[] panel = gaussian(rnd, rows * len);
            float[] x = gaussian(rnd, n * xStride);
            int outRows = rows + 3;
            int row0 = 1;
            // Split the columns into blocks as the matmul does: one block, or several with and without partials.
            for (int blocks : new int[] {1, 3}) {
                for (boolean withPartial : new boolean[] {false, true}) {
                    float[] expected = new float[n * outRows];
                    float[] actual = new float[n * outRows];
                    float[] partial = withPartial ? new float[vector.partialSize(rows, n)] : null;
                    // Blocks before the last hold whole vectors (16 floats: every width), as in the matmul.
                    int blockLen = Math.max(16, (len / blocks + 15) / 16 * 16);
                    for (int k0 = 0; k0 < len; k0 += blockLen) {
                        int l = Math.min(blockLen, len - k0);
                        float[] block = new float[rows * l];
                        for (int i = 0; i < rows; i++) {
                            System.arraycopy(panel, i * len + k0, block, i * l, l);
                        }
                        boolean first = k0 == 0;
                        boolean last = k0 + l == len;
                        scalar.multiply(block, rows, l, x, xStride, xOffset + k0, n, expected, outRows, row0, null,
                                first, last);
                        vector.multiply(block, rows, l, x, xStride, xOffset + k0, n, actual, outRows, row0,
                                partial, first, last);
                    }
                    for (int t = 0; t < n; t++) {
                        for (int i = 0; i < outRows; i++) {
                            double magnitude = 0;
                            if (i >= row0 && i < row0 + rows) {
                                for (int k = 0; k < len; k++) {
                                    magnitude += Math.abs(panel[(i - row0) * len + k] * x[t * xStride + xOffset + k]);
                                }
                            }
                            int o = t * outRows + i;
                            assertEquals(expected[o], actual[o], PRODUCT_TOLERANCE * magnitude + 1e-6,
                                    "panel " + rows + "x" + len + " n=" + n + " in " + blocks + " blocks, partial "
                                            + withPartial + ", token " + t + " row " + i);
                        }
                    }
                }
            }
        }
    }

    /** RMSNorm, SwiGLU, softmax and RoPE on rows with and without vector tails. */
    static void elementwiseAgree() {
        Random rnd = new Random(13);
        ElementwiseKernels vector = new VectorElementwise();
        ElementwiseKernels scalar = new ScalarElementwise();
        for (int dim : new int[] {1, 7, 16, 64, 100, 2048, 5632}) {
            float[] x = gaussian(rnd, dim + 4);
            float[] w = gaussian(rnd, dim);
            float[] expected = new float[dim + 2];
            float[] actual = new float[dim + 2];
            scalar.rmsNorm(x, 4, dim, w, 1e-5f, expected, 2);
            vector.rmsNorm(x, 4, dim, w, 1e-5f, actual, 2);
            assertRelative(expected, actual, "rmsNorm " + dim);

            float[] gate = scaled(gaussian(rnd, dim + 3), 4f);
            float[] up = gaussian(rnd, dim + 3);
            float[] g2 = gate.clone();
            scalar.swiglu(gate, up, 3, dim + 3);
            vector.swiglu(g2, up, 3, dim + 3);
            assertRelative(gate, g2, "swiglu " + dim);

            float[] logits = scaled(gaussian(rnd, dim + 1), 8f);
            float[] p2 = logits.clone();
            scalar.softmax(logits, 1, dim);
            vector.softmax(p2, 1, dim);
            for (int i = 0; i < logits.length; i++) {
                assertEquals(logits[i], p2[i], RELATIVE_TOLERANCE, "softmax " + dim + " at " + i);
            }
        }
        for (int[] shape : new int[][] {{32, 64, 32}, {4, 64, 32}, {3, 10, 5}, {8, 128, 40}, {2, 48, 17}}) {
            int heads = shape[0];
            int headDim = shape[1];
            int pairs = shape[2];
            float[] cos = new float[pairs];
            float[] sin = new float[pairs];
            for (int i = 0; i < pairs; i++) {
                double theta = 37 * Math.pow(10000, -2.0 * i / (2 * pairs));
                cos[i] = (float) Math.cos(theta);
                sin[i] = (float) Math.sin(theta);
            }
            float[] q = gaussian(rnd, 3 + heads * headDim);
            float[] q2 = q.clone();
            scalar.rope(q, 3, heads, headDim, pairs, cos, sin);
            vector.rope(q2, 3, heads, headDim, pairs, cos, sin);
            for (int i = 0; i < q.length; i++) {
                assertEquals(Float.floatToRawIntBits(q[i]), Float.floatToRawIntBits(q2[i]), "rope at " + i);
            }
        }
    }

    /**
     * {@link CpuDevice#matmul} (vector or scalar kernels, as this JVM runs them) equals one scalar row dot per row
     * and token, for one token, small batches and prefill-sized batches (split into column blocks; 131 tokens: several
     * tiles of tokens and a partly padded one). One token also on a taller weight, whose chunks are long enough that
     * each of the rows read side by side is a run of several rows, with rows left over.
     */
    static void deviceMatmulMatchesRowDots(GgmlType type) {
        deviceMatmulMatchesRowDots(type, 37, new int[] {1, 2, 3, 5, 8, 16, 17, 40, 131});
        deviceMatmulMatchesRowDots(type, TALL_ROWS, new int[] {1});
    }

    private static void deviceMatmulMatchesRowDots(GgmlType type, int rows, int[] tokenCounts) {
        Random rnd = new Random(type.id() + 100L + rows);
        int cols = type.blockSize() == 256 ? 2048 : 2048 + 64;
        float[] values = gaussian(rnd, rows * cols);
        MemorySegment data = MemorySegment.ofArray(new byte[(int) type.bytesFor(values.length)]);
        TensorFormats.scalar(type).quantize(values, 0, values.length, data, 0);
        Tensor weight = new Tensor("w", type, new long[] {cols, rows}, data);
        float[] decoded = new float[rows * cols];
        TensorFormats.scalar(type).dequantize(data, 0, decoded, 0, decoded.length);
        try (CpuDevice device = new CpuDevice(3)) {
            for (int n : tokenCounts) {
                float[] x = gaussian(rnd, n * cols);
                float[] out = new float[n * rows];
                device.matmul(weight, x, n, out);
                for (int t = 0; t < n; t++) {
                    for (int r = 0; r < rows; r++) {
                        float expected = TensorFormats.scalar(type).dot(data, (long) r * cols, x, t * cols, cols);
                        double magnitude = 0;
                        for (int k = 0; k < cols; k++) {
                            magnitude += Math.abs(decoded[r * cols + k] * x[t * cols + k]);
                        }
                        assertEquals(expected, out[t * rows + r], PRODUCT_TOLERANCE * magnitude,
                                type + " matmul n=" + n + " token " + t + " row " + r);
                    }
                }
            }
        }
    }

    private static void assertRelative(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], RELATIVE_TOLERANCE * Math.abs(expected[i]) + 1e-30,
                    what + " at " + i);
        }
    }

    static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    private static float[] scaled(float[] v, float s) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
        return v;
    }
}
