package dev.gantry.engine.compute;

import dev.gantry.engine.tensor.Tensor;

/**
 * The CPU device: matrix products split by rows over a fixed {@link WorkerPool}, element-wise operations on
 * the calling thread (they are a small fraction of the work).
 */
public final class CpuDevice implements Device {

    /** Rows per parallel chunk: enough work per chunk to amortise the hand-off. */
    private static final int MIN_ROWS_PER_CHUNK = 16;

    private final WorkerPool pool;

    public CpuDevice(int threads) {
        this.pool = new WorkerPool(threads);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    @Override
    public void matmul(Tensor weight, float[] x, int n, float[] out) {
        int rows = weight.rows();
        int cols = weight.cols();
        int chunks = Math.max(1, Math.min(pool.threads() * 4, rows / MIN_ROWS_PER_CHUNK));
        int perChunk = (rows + chunks - 1) / chunks;
        pool.run(chunks, c -> {
            int from = c * perChunk;
            int to = Math.min(rows, from + perChunk);
            for (int r = from; r < to; r++) {
                for (int t = 0; t < n; t++) {
                    out[t * rows + r] = weight.dotRow(r, x, t * cols);
                }
            }
        });
    }

    @Override
    public void rmsNorm(float[] x, int n, int dim, float[] weight, float eps, float[] out) {
        for (int t = 0; t < n; t++) {
            int off = t * dim;
            float ss = 0f;
            for (int i = 0; i < dim; i++) {
                ss += x[off + i] * x[off + i];
            }
            float scale = (float) (1.0 / Math.sqrt(ss / dim + eps));
            for (int i = 0; i < dim; i++) {
                out[off + i] = x[off + i] * scale * weight[i];
            }
        }
    }

    @Override
    public void swiglu(float[] gate, float[] up, int n, int width) {
        int total = n * width;
        for (int i = 0; i < total; i++) {
            float g = gate[i];
            gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
