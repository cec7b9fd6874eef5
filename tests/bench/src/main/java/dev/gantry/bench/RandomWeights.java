package dev.gantry.bench;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.TensorFormats;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * Weight matrices and activations for the benchmarks: Gaussian values encoded in the requested type, in
 * off-heap memory as a mapped model file would be, so that every kernel reads the layout it reads in serving.
 */
final class RandomWeights {

    private RandomWeights() {
    }

    /** A {@code rows × cols} matrix of {@code type}, allocated in {@code arena}. */
    static Tensor matrix(Arena arena, GgmlType type, int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        long bytes = type.bytesFor((long) rows * cols);
        MemorySegment data = arena.allocate(bytes, 64);
        float[] row = new float[cols];
        long rowBytes = type.bytesFor(cols);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < cols; i++) {
                row[i] = (float) (rnd.nextGaussian() * 0.02);
            }
            TensorFormats.scalar(type).quantize(row, 0, cols, data, r * rowBytes);
        }
        return new Tensor("bench." + type, type, new long[] {cols, rows}, data);
    }

    /** Gaussian activations. */
    static float[] activations(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }
}
