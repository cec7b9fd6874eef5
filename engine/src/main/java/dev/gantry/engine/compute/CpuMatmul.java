package dev.gantry.engine.compute;

import dev.gantry.engine.tensor.BlockScales;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.TensorFormat;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link Device#matmul} on the CPU: the weight's rows are split into chunks that the {@link WorkerPool}'s
 * threads claim, and each weight byte is read straight from the memory map once per call (Q4_0's block scales
 * excepted, in one-token products: below).
 *
 * <p>One token: each row is one fused dot product in the stored format ({@link TensorFormat#dot}: the vector
 * kernel where there is one), nothing decoded into memory; sixteen distant rows of a chunk are read together, as
 * four {@link TensorFormat#dot4} calls (see {@link #STREAMS}). A format that reads {@link BlockScales} (Q4_0)
 * gets the weight's scales as floats, widened on its first one-token product and kept for the device's life
 * (Q4_0 decode on TinyLlama-shaped weights at 2 threads, alternating builds: 8 of 9 pairs won, median +15 %).
 * Several tokens: a panel of rows is decoded to floats once, one column block at a time, into the thread's
 * scratch, and multiplied with every token's activations by
 * {@link PanelProduct}'s register tiles, so decoding is paid once per call, not once per token. Column blocks
 * keep the decoded panel and the activations it meets in the L1 cache. Three loop orders:
 * <ul>
 * <li>a few tokens (batched decode): panel by panel, all column blocks of a panel in turn, the tiles' sums
 * carried across blocks in a small per-thread buffer; every token's activations together stay in L2;</li>
 * <li>many tokens (prefill) with the Vector API: the activations are transposed once per call (in parallel)
 * and each panel meets them as vectors of tokens in {@link BroadcastPanelProduct}'s outer-product tiles, all
 * column blocks of a panel in turn, its sums kept in a per-thread buffer and written to the output once;</li>
 * <li>many tokens with the scalar kernels: column block by column block, every panel of the chunk in turn, so
 * one block of all tokens' activations stays in L2 while the panels pass over it; each block's sums are added to
 * the output.</li>
 * </ul>
 *
 * <p>Reused for every call: one instance per device, its fields set by {@link #multiply} and read by the
 * chunks, so a call allocates nothing. Not thread-safe (one call at a time, as the pool runs one loop at a
 * time).
 */
final class CpuMatmul implements WorkerPool.Task {

    /** Rows per chunk for one token: enough work to amortise the hand-off. */
    private static final int MIN_ROWS_PER_CHUNK = 16;
    /**
     * Rows a thread reads side by side in a one-token product: the chunk is cut into this many parts, and
     * {@link TensorFormat#dot4} calls in turn advance all of them by one row. A core streaming from memory needs
     * many reads in flight, and each part is a stream the hardware prefetchers follow. On TinyLlama-shaped models
     * at 2 threads ({@code gantry bench}, alternating builds): eight streams against four took Q8_0 decode from
     * 11-13 to 16-18.5 tok/s; sixteen against eight won 8 of 9 pairs for Q4_0 (by 8-32 %), whose rows are half as
     * long, and were even for Q8_0 (2 of 3) and F16 (3 of 6).
     */
    private static final int STREAMS = 16;
    /** Chunks per thread: small enough chunks that a thread slowed by others does not hold up the call. */
    private static final int CHUNKS_PER_THREAD = 8;
    /** Up to this many tokens, panels go first and the tiles' sums stay in a per-thread buffer. */
    private static final int FEW_TOKENS = 16;
    /**
     * Columns per block for few tokens: a decoded 8-row panel (32 KiB) stays in L1 while the tiles pass over it;
     * fewer, longer blocks also mean fewer decoding calls, whose set-up is not free.
     */
    private static final int FEW_TOKENS_COLUMNS = 1024;
    /** Rows per panel for few tokens. */
    private static final int FEW_TOKENS_PANEL_ROWS = 8;
    /** Floats of activations (all tokens, one column block) that should stay in a core's L2 cache. */
    private static final int ACTIVATION_BLOCK_FLOATS = 64 * 1024;
    /** Floats of decoded panel that should stay in L1 while the tiles run over it. */
    private static final int PANEL_FLOATS = 8 * 1024;
    /** Column blocks are whole numbers of the largest quantisation block (256 for the K-quants). */
    private static final int COLUMN_QUANTUM = 256;

    /**
     * Columns per block for the broadcast kernel (or a K-quant's 256): a tile's slice of the transposed activations
     * (128 columns × 32 tokens, 16 KiB) stays in L1 while the panel's row tiles pass.
     */
    private static final int BROADCAST_COLUMNS = 128;
    /**
     * Rows per panel for the broadcast kernel: eight 8-row tiles, which each slice of the transposed activations
     * serves before the next is read from L2 (or, for the FFN's down projection, from L3). Against 32 rows, with
     * panels decoded one call per panel: TinyLlama-shaped Q4_0 and Q8_0 layer products at 128 tokens took 8-10 %
     * less time (both builds alternating in one process, the order swapped halfway); F16 was even (-3 to +4 %).
     * 128 rows were no better than 64.
     */
    private static final int BROADCAST_PANEL_ROWS = 64;
    /** Columns per chunk of the transposition. */
    private static final int TRANSPOSE_COLUMNS = 256;

    private final WorkerPool pool;
    /**
     * Block scales widened once per weight, for the formats whose one-token kernel reads them (Q4_0). Keyed by the
     * tensor's value (name, type, shape and data), so a view made afresh for each call finds its table.
     */
    private final Map<Tensor, BlockScales> blockScales = new HashMap<>();
    private final PanelProduct panels;
    /** Many tokens, where the Vector API runs: null for the scalar kernels. */
    private final BroadcastPanelProduct broadcast;
    private final float[][] sumsScratch;
    private float[] transposed = new float[0];
    /** What {@link #transposed} holds: the array, token count and width it was made from (null: nothing). */
    private float[] transposedFrom;
    private int transposedTokens;
    private int transposedCols;
    private final float[][] panelScratch;
    private final float[][] partialScratch;

    // The call in progress.
    private TensorFormat format;
    private MemorySegment data;
    /** One token: the weight's widened block scales where its format reads them, else null. */
    private BlockScales scales;
    private float[] x;
    private float[] out;
    private int n;
    private int rows;
    private int cols;
    private int rowsPerChunk;
    private int columnBlock;
    private int panelRows;
    /** Many tokens with the broadcast kernel: the transposed activations' row length, 0 otherwise. */
    private int paddedTokens;
    /** True while the chunks of a call transpose the activations rather than multiply. */
    private boolean transposing;

    CpuMatmul(WorkerPool pool, PanelProduct panels, BroadcastPanelProduct broadcast) {
        this.pool = pool;
        this.panels = panels;
        this.broadcast = broadcast;
        this.sumsScratch = new float[pool.threads()][0];
        this.panelScratch = new float[pool.threads()][0];
        this.partialScratch = new float[pool.threads()][0];
    }

    /**
     * {@code out = W · x} for {@code n} tokens. With {@code sameActivations}, the caller promises that {@code x}
     * holds what the previous call took: its transposed copy is reused when that call made one for the same
     * array, token count and width.
     */
    void multiply(Tensor weight, float[] x, int n, float[] out, boolean sameActivations) {
        this.format = weight.format();
        this.data = weight.data();
        this.x = x;
        this.out = out;
        this.n = n;
        this.rows = weight.rows();
        this.cols = weight.cols();
        int threads = pool.threads();
        if (n == 1) {
            scales = format.readsBlockScales() ? blockScales.computeIfAbsent(weight, BlockScales::of) : null;
            int chunks = Math.max(1, Math.min(threads * CHUNKS_PER_THREAD, rows / MIN_ROWS_PER_CHUNK));
            rowsPerChunk = (rows + chunks - 1) / chunks;
            paddedTokens = 0;
        } else {
            if (broadcast != null && n > FEW_TOKENS) {
                if (sameActivations && transposedFrom == x && transposedTokens == n && transposedCols == cols) {
                    paddedTokens = BroadcastPanelProduct.paddedTokens(n);
                } else {
                    transposeActivations();
                }
                columnBlock = Math.min(cols, Math.max(BROADCAST_COLUMNS, weight.type().blockSize()));
                panelRows = BROADCAST_PANEL_ROWS;
            } else {
                paddedTokens = 0;
                if (n <= FEW_TOKENS) {
                    columnBlock = Math.min(cols, FEW_TOKENS_COLUMNS);
                    panelRows = FEW_TOKENS_PANEL_ROWS;
                } else {
                    columnBlock = columnBlock(cols, n);
                    panelRows = Math.max(4, Math.min(64, PANEL_FLOATS / columnBlock) & ~3);
                }
            }
            int panelsTotal = (rows + panelRows - 1) / panelRows;
            int chunks = Math.max(1, Math.min(threads * CHUNKS_PER_THREAD, panelsTotal));
            rowsPerChunk = (panelsTotal + chunks - 1) / chunks * panelRows;
        }
        int chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        pool.run(chunks, this);
        this.x = null;
        this.out = null;
        this.scales = null;
    }

    /** Transposes the activations once, in parallel, so that every panel meets them as vectors of tokens. */
    private void transposeActivations() {
        paddedTokens = BroadcastPanelProduct.paddedTokens(n);
        int size = cols * paddedTokens;
        if (transposed.length < size) {
            transposed = new float[size];
        }
        transposedFrom = null;
        transposing = true;
        try {
            pool.run((cols + TRANSPOSE_COLUMNS - 1) / TRANSPOSE_COLUMNS, this);
        } finally {
            transposing = false;
        }
        transposedFrom = x;
        transposedTokens = n;
        transposedCols = cols;
    }

    /** All columns when every token's activations fit the cache budget, else whole quanta that do. */
    static int columnBlock(int cols, int n) {
        if ((long) cols * n <= ACTIVATION_BLOCK_FLOATS) {
            return cols;
        }
        int quanta = Math.max(1, ACTIVATION_BLOCK_FLOATS / n / COLUMN_QUANTUM);
        return Math.min(cols, quanta * COLUMN_QUANTUM);
    }

    @Override
    public void run(int chunk, int worker) {
        if (transposing) {
            int k0 = chunk * TRANSPOSE_COLUMNS;
            BroadcastPanelProduct.transpose(x, cols, n, k0, Math.min(cols, k0 + TRANSPOSE_COLUMNS), transposed,
                    paddedTokens);
            return;
        }
        int from = chunk * rowsPerChunk;
        int to = Math.min(rows, from + rowsPerChunk);
        if (n == 1) {
            int part = (to - from) / STREAMS;
            long partStride = (long) part * cols;
            for (int r = from; r < from + part; r++) {
                for (int s = 0; s < STREAMS; s += 4) {
                    int row = r + s * part;
                    format.dot4(data, scales, (long) row * cols, partStride, x, 0, cols, out, row, part);
                }
            }
            for (int r = from + STREAMS * part; r < to; r++) {
                out[r] = format.dot(data, (long) r * cols, x, 0, cols);
            }
            return;
        }
        if (paddedTokens > 0) {
            float[] panel = scratch(panelScratch, worker, panelRows * BroadcastPanelProduct.PANEL_STRIDE);
            // Panel by panel, all column blocks of a panel in turn: its sums stay in the thread's cache and reach
            // the (token-major, widely strided) output once.
            float[] sums = scratch(sumsScratch, worker, BroadcastPanelProduct.sumsSize(panelRows, paddedTokens));
            for (int p = from; p < to; p += panelRows) {
                int pr = Math.min(panelRows, to - p);
                for (int k0 = 0; k0 < cols; k0 += columnBlock) {
                    int len = Math.min(columnBlock, cols - k0);
                    decode(panel, p, pr, k0, len, BroadcastPanelProduct.PANEL_STRIDE);
                    broadcast.multiply(panel, pr, len, transposed, paddedTokens, cols, k0, sums, k0 == 0);
                }
                BroadcastPanelProduct.finish(sums, pr, paddedTokens, n, out, rows, p);
            }
            return;
        }
        float[] panel = scratch(panelScratch, worker, panelRows * columnBlock);
        if (n <= FEW_TOKENS) {
            float[] partial = scratch(partialScratch, worker, panels.partialSize(panelRows, n));
            for (int p = from; p < to; p += panelRows) {
                int pr = Math.min(panelRows, to - p);
                for (int k0 = 0; k0 < cols; k0 += columnBlock) {
                    int len = Math.min(columnBlock, cols - k0);
                    decode(panel, p, pr, k0, len, len);
                    panels.multiply(panel, pr, len, x, cols, k0, n, out, rows, p, partial, k0 == 0,
                            k0 + len == cols);
                }
            }
            return;
        }
        for (int k0 = 0; k0 < cols; k0 += columnBlock) {
            int len = Math.min(columnBlock, cols - k0);
            for (int p = from; p < to; p += panelRows) {
                int pr = Math.min(panelRows, to - p);
                decode(panel, p, pr, k0, len, len);
                panels.multiply(panel, pr, len, x, cols, k0, n, out, rows, p, null, k0 == 0, k0 + len == cols);
            }
        }
    }

    /** Decodes columns {@code [k0, k0+len)} of rows {@code [p, p+pr)} into {@code panel}, row stride {@code stride}. */
    private void decode(float[] panel, int p, int pr, int k0, int len, int stride) {
        if (len == cols && stride == cols) {
            format.dequantize(data, (long) p * cols, panel, 0, pr * cols);
        } else {
            format.dequantizeRows(data, (long) p * cols + k0, cols, pr, panel, 0, stride, len);
        }
    }

    /** A thread's buffer, grown on first need and kept: steady-state calls allocate nothing. */
    private static float[] scratch(float[][] buffers, int worker, int size) {
        float[] s = buffers[worker];
        if (s.length < size) {
            s = new float[size];
            buffers[worker] = s;
        }
        return s;
    }
}
