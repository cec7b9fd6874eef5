package dev.gantry.engine.compute;

import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.VectorWidth;

import java.util.function.IntConsumer;
import java.util.logging.Logger;

/**
 * The CPU device: matrix products over a fixed {@link WorkerPool} ({@link CpuMatmul}), and the light
 * operations row by row through {@link ElementwiseKernels}, spread over the pool when there are enough rows to
 * pay for the hand-off (prefill), on the calling thread otherwise.
 *
 * <p>The kernels are the Vector API ones when {@link VectorWidth#enabled()}, their scalar twins otherwise; the
 * choice is made once, in the static fields, so the compiled code sees constants.
 */
public final class CpuDevice implements Device {

    private static final Logger LOG = Logger.getLogger(CpuDevice.class.getName());

    private static final ElementwiseKernels ELEMENTWISE =
            VectorWidth.enabled() ? new VectorElementwise() : new ScalarElementwise();
    private static final PanelProduct PANELS =
            VectorWidth.enabled() ? new VectorPanelProduct() : new ScalarPanelProduct();

    /** Elements of element-wise work below which the calling thread does it alone. */
    private static final int PARALLEL_ELEMENTS = 64 * 1024;

    private final WorkerPool pool;
    private final CpuMatmul matmul;
    private final RowsTask rows = new RowsTask();

    public CpuDevice(int threads) {
        this.pool = new WorkerPool(threads);
        this.matmul = new CpuMatmul(pool, PANELS, VectorWidth.enabled() ? new BroadcastPanelProduct() : null);
        LOG.info(() -> "cpu device: " + threads + " threads, " + VectorWidth.describe() + " kernels");
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
        matmul.multiply(weight, x, n, out, false);
    }

    @Override
    public void matmulSameActivations(Tensor weight, float[] x, int n, float[] out) {
        matmul.multiply(weight, x, n, out, true);
    }

    @Override
    public void rmsNorm(float[] x, int n, int dim, float[] weight, float eps, float[] out) {
        if ((long) n * dim < PARALLEL_ELEMENTS || n == 1) {
            for (int t = 0; t < n; t++) {
                ELEMENTWISE.rmsNorm(x, t * dim, dim, weight, eps, out, t * dim);
            }
            return;
        }
        runRows(RowsTask.RMS_NORM, n, x, weight, out, dim, eps);
    }

    @Override
    public void swiglu(float[] gate, float[] up, int n, int width) {
        int total = n * width;
        if (total < PARALLEL_ELEMENTS) {
            ELEMENTWISE.swiglu(gate, up, 0, total);
            return;
        }
        runRows(RowsTask.SWIGLU, n, gate, up, null, width, 0f);
    }

    private void runRows(int op, int n, float[] a, float[] b, float[] out, int width, float eps) {
        int chunks = Math.min(n, pool.threads());
        rows.start(op, n, chunks, a, b, out, width, eps);
        pool.run(chunks, rows);
    }

    @Override
    public void softmax(float[] x, int offset, int length) {
        ELEMENTWISE.softmax(x, offset, length);
    }

    @Override
    public void rope(float[] x, int offset, int heads, int headDim, int pairs, float[] cos, float[] sin) {
        ELEMENTWISE.rope(x, offset, heads, headDim, pairs, cos, sin);
    }

    @Override
    public void parallel(int count, IntConsumer task) {
        pool.run(count, task);
    }

    @Override
    public void close() {
        pool.close();
    }

    /** A row-parallel element-wise operation, reused across calls so that none allocates. */
    private static final class RowsTask implements WorkerPool.Task {
        static final int RMS_NORM = 0;
        static final int SWIGLU = 1;

        private int op;
        private int n;
        private float[] a;
        private float[] b;
        private float[] out;
        private int width;
        private float eps;
        private int chunks;

        void start(int op, int n, int chunks, float[] a, float[] b, float[] out, int width, float eps) {
            this.op = op;
            this.n = n;
            this.chunks = chunks;
            this.a = a;
            this.b = b;
            this.out = out;
            this.width = width;
            this.eps = eps;
        }

        @Override
        public void run(int chunk, int worker) {
            // Chunk c of C takes rows [c·n/C, (c+1)·n/C); C is the pool's thread count or fewer.
            int perChunk = (n + chunks - 1) / chunks;
            int from = chunk * perChunk;
            int to = Math.min(n, from + perChunk);
            for (int t = from; t < to; t++) {
                if (op == RMS_NORM) {
                    ELEMENTWISE.rmsNorm(a, t * width, width, b, eps, out, t * width);
                } else {
                    ELEMENTWISE.swiglu(a, b, t * width, (t + 1) * width);
                }
            }
        }
    }
}
