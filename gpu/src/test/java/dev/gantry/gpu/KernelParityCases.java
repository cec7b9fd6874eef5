package dev.gantry.gpu;

import dev.gantry.engine.compute.CpuDevice;
import dev.gantry.engine.llama.RopeTable;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.TensorFormats;
import dev.gantry.plugins.baseline.attention.DenseAttention;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.AttentionCall;
import dev.gantry.spi.attention.AttentionMask;
import dev.gantry.spi.attention.AttentionPhase;
import dev.gantry.spi.attention.KvSequenceView;
import dev.gantry.spi.attention.LayerInfo;
import dev.gantry.spi.attention.StepState;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kernel against the engine's CPU path on random inputs, on any {@link KernelLauncher}: the CUDA-on-CPU
 * harness (every build) or a GPU through JCuda (where there is one). The references are the engine's own
 * code: {@link CpuDevice} for products, RMSNorm and SwiGLU, {@link RopeTable} for RoPE, {@link Tensor}'s
 * decoding for embeddings, the baseline {@link DenseAttention} plugin for attention, and the greedy rule
 * (highest value, lowest id on ties) for argmax and top-k.
 *
 * <p>Error bounds, by what differs between the two sides:
 * <ul>
 * <li>products, every weight type (F32, F16, BF16, Q8_0, Q4_0): the kernels decode weights bit for bit as the
 * engine does, so only the order of the float sums differs: {@code |gpu − cpu| ≤ 1e-5 · Σ|w·x|} per output
 * ({@link #SUM_ORDER}); the tensor-core kernel rounds inputs to f16: {@code 2e-3 · Σ|w·x|}
 * ({@link #F16_INPUTS});</li>
 * <li>RMSNorm, SwiGLU, attention: float sums in another order and {@code expf} against {@code Math.exp}:
 * relative {@code 1e-5} (attention: absolute {@code 2e-5}, its outputs being averages of values in [−1, 1]);</li>
 * <li>RoPE: the same cos/sin floats, one multiply-add each: relative {@code 2e-6};</li>
 * <li>embedding, KV writes, gathers, residual adds, argmax and top-k: exact.</li>
 * </ul>
 */
final class KernelParityCases {

    /** Products: only the summation order differs from the CPU. */
    static final double SUM_ORDER = 1e-5;
    /** Products through the tensor cores: inputs rounded to f16. */
    static final double F16_INPUTS = 2e-3;

    private KernelParityCases() {
    }

    static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian());
        }
        return a;
    }

    /** A rows × cols weight of {@code type}, encoded by the engine's own quantiser from random values. */
    static Tensor weight(GgmlType type, int rows, int cols, Random rnd) {
        float[] values = random(rnd, rows * cols);
        MemorySegment data = Arena.ofAuto().allocate(type.bytesFor((long) rows * cols), 16);
        TensorFormats.scalar(type).quantize(values, 0, values.length, data, 0);
        return new Tensor("w", type, new long[] {cols, rows}, data);
    }

    // ---- products ----------------------------------------------------------------------------------------

    /** Decode product (matvec kernels) of n tokens against the engine's CpuDevice.matmul. */
    static void matvec(KernelLauncher gpu, GgmlType type, int rows, int cols, int n) {
        product(gpu, type, rows, cols, n, (w, x, out) -> Kernels.matvec(type, w, rows, cols, x, n, out), SUM_ORDER);
    }

    /** Prefill product, plain tiled kernel or tensor-core kernel. */
    static void matmul(KernelLauncher gpu, GgmlType type, int rows, int cols, int n, boolean tensorCores) {
        product(gpu, type, rows, cols, n, (w, x, out) -> Kernels.matmul(type, w, rows, cols, x, n, out, tensorCores),
                tensorCores ? F16_INPUTS : SUM_ORDER);
    }

    private interface ProductLaunch {
        KernelLaunch of(GpuBuffer w, GpuBuffer x, GpuBuffer out);
    }

    private static void product(KernelLauncher gpu, GgmlType type, int rows, int cols, int n, ProductLaunch launch,
                                double tolerance) {
        Random rnd = new Random(31L * rows + cols + n + type.ordinal());
        Tensor w = weight(type, rows, cols, rnd);
        float[] x = random(rnd, n * cols);
        GpuBuffer dw = gpu.upload(w.data());
        GpuBuffer dx = gpu.upload(x);
        GpuBuffer dOut = gpu.allocate(4L * n * rows);
        gpu.launch(launch.of(dw, dx, dOut));
        float[] got = new float[n * rows];
        gpu.download(dOut, got);
        float[] want = new float[n * rows];
        try (CpuDevice cpu = new CpuDevice(1)) {
            cpu.matmul(w, x, n, want);
        }
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            w.dequantizeRow(r, row, 0);
            for (int t = 0; t < n; t++) {
                double magnitude = 0;
                for (int k = 0; k < cols; k++) {
                    magnitude += Math.abs(row[k] * x[t * cols + k]);
                }
                int o = t * rows + r;
                assertTrue(Math.abs(got[o] - want[o]) <= tolerance * magnitude + 1e-6, () -> type + " " + rows + "×"
                        + cols + " n=" + n + ": out[" + o + "] = " + got[o] + ", the CPU gives " + want[o]);
            }
        }
    }

    // ---- element-wise ------------------------------------------------------------------------------------

    static void embed(KernelLauncher gpu, GgmlType type) {
        Random rnd = new Random(7 + type.ordinal());
        int vocab = 20;
        int cols = 64;
        Tensor table = weight(type, vocab, cols, rnd);
        int[] tokens = {5, 0, 19, 5};
        GpuBuffer dOut = gpu.allocate(4L * tokens.length * cols);
        gpu.launch(Kernels.embed(type, gpu.upload(table.data()), cols, gpu.upload(tokens), tokens.length, dOut));
        float[] got = new float[tokens.length * cols];
        gpu.download(dOut, got);
        float[] want = new float[tokens.length * cols];
        for (int r = 0; r < tokens.length; r++) {
            table.dequantizeRow(tokens[r], want, r * cols);
        }
        assertArrayEquals(want, got, 0f, type + " embedding rows decode exactly as the engine's");
    }

    static void rmsNorm(KernelLauncher gpu) {
        Random rnd = new Random(11);
        int n = 3;
        int dim = 300;  // not a multiple of the block
        float[] x = random(rnd, n * dim);
        float[] weight = random(rnd, dim);
        GpuBuffer dOut = gpu.allocate(4L * n * dim);
        gpu.launch(Kernels.rmsNorm(gpu.upload(x), gpu.upload(weight), 1e-5f, dim, n, dOut));
        float[] got = new float[n * dim];
        gpu.download(dOut, got);
        float[] want = new float[n * dim];
        try (CpuDevice cpu = new CpuDevice(1)) {
            cpu.rmsNorm(x, n, dim, weight, 1e-5f, want);
        }
        assertRelative(want, got, 1e-5, "RMSNorm");
    }

    static void rope(KernelLauncher gpu) {
        Random rnd = new Random(13);
        int heads = 4;
        int headDim = 16;
        int ropeDims = 12;  // fewer than the head: the last pairs stay as they are
        int stride = heads * headDim + 8;  // rows wider than the rotated heads
        int[] positions = {0, 7, 100};
        int n = positions.length;
        float[] x = random(rnd, n * stride);
        float[] factors = {1f, 1f, 2f, 4f, 8f, 8f};
        RopeTables tables = RopeTables.of(128, ropeDims, 10000f, factors);
        GpuBuffer dx = gpu.upload(x);
        gpu.launch(Kernels.rope(dx, stride, gpu.upload(positions), gpu.upload(tables.cos()), gpu.upload(tables.sin()),
                heads, headDim, tables.pairs(), n));
        float[] got = new float[n * stride];
        gpu.download(dx, got);
        float[] want = x.clone();
        RopeTable engine = new RopeTable(ropeDims, 10000f, factors);
        float[] cos = new float[engine.pairs()];
        float[] sin = new float[engine.pairs()];
        try (CpuDevice cpu = new CpuDevice(1)) {
            for (int r = 0; r < n; r++) {
                engine.angles(positions[r], cos, sin);
                cpu.rope(want, r * stride, heads, headDim, engine.pairs(), cos, sin);
            }
        }
        assertRelative(want, got, 2e-6, "RoPE");
    }

    static void swiglu(KernelLauncher gpu) {
        Random rnd = new Random(17);
        int total = 1000;
        float[] gate = random(rnd, total);
        float[] up = random(rnd, total);
        GpuBuffer dGate = gpu.upload(gate);
        gpu.launch(Kernels.swiglu(dGate, gpu.upload(up), total));
        float[] got = new float[total];
        gpu.download(dGate, got);
        float[] want = gate.clone();
        try (CpuDevice cpu = new CpuDevice(1)) {
            cpu.swiglu(want, up, 1, total);
        }
        assertRelative(want, got, 1e-5, "SwiGLU");
    }

    /** Residual add, KV writes into scattered slots, row gathers: data movement, exact. */
    static void moves(KernelLauncher gpu) {
        Random rnd = new Random(19);
        int kvDim = 24;
        float[] acc = random(rnd, 500);
        float[] delta = random(rnd, 500);
        GpuBuffer dAcc = gpu.upload(acc);
        gpu.launch(Kernels.add(dAcc, gpu.upload(delta), 500));
        float[] k = random(rnd, 3 * kvDim);
        float[] v = random(rnd, 3 * kvDim);
        int[] slots = {9, 2, 5};
        GpuBuffer kCache = gpu.upload(random(rnd, 10 * kvDim));
        GpuBuffer vCache = gpu.upload(random(rnd, 10 * kvDim));
        gpu.launch(Kernels.kvWrite(gpu.upload(k), gpu.upload(v), kvDim, gpu.upload(slots), 3, kCache, vCache));
        GpuBuffer gathered = gpu.allocate(4L * 2 * kvDim);
        gpu.launch(Kernels.gatherRows(kCache, gpu.upload(new int[] {5, 9}), 2, kvDim, gathered));
        float[] sum = new float[500];
        gpu.download(dAcc, sum);
        for (int i = 0; i < 500; i++) {
            assertEquals(acc[i] + delta[i], sum[i], 0f, "add_in_place");
        }
        float[] kc = new float[10 * kvDim];
        float[] vc = new float[10 * kvDim];
        gpu.download(kCache, kc);
        gpu.download(vCache, vc);
        for (int r = 0; r < 3; r++) {
            for (int e = 0; e < kvDim; e++) {
                assertEquals(k[r * kvDim + e], kc[slots[r] * kvDim + e], 0f, "kv_write keys");
                assertEquals(v[r * kvDim + e], vc[slots[r] * kvDim + e], 0f, "kv_write values");
            }
        }
        float[] g = new float[2 * kvDim];
        gpu.download(gathered, g);
        for (int e = 0; e < kvDim; e++) {
            assertEquals(k[2 * kvDim + e], g[e], 0f, "gather_rows");
            assertEquals(k[e], g[kvDim + e], 0f, "gather_rows");
        }
        // Keeping draft path 0 → 2 → 3 of slots 4..7: slot 5 takes 6, then 6 takes 7 (6 read before it is written).
        float[] before = kc.clone();
        float[] beforeV = vc.clone();
        gpu.launch(Kernels.kvMove(kCache, vCache, kvDim, gpu.upload(new int[] {6, 7}), gpu.upload(new int[] {5, 6}),
                2));
        gpu.download(kCache, kc);
        gpu.download(vCache, vc);
        for (int e = 0; e < kvDim; e++) {
            assertEquals(before[6 * kvDim + e], kc[5 * kvDim + e], 0f, "kv_move keys");
            assertEquals(before[7 * kvDim + e], kc[6 * kvDim + e], 0f, "kv_move keys, in order");
            assertEquals(beforeV[7 * kvDim + e], vc[6 * kvDim + e], 0f, "kv_move values");
        }
        float[] src = random(rnd, 1000);
        GpuBuffer copy = gpu.allocate(4000);
        gpu.launch(Kernels.copyFloats(gpu.upload(src), copy, 1000, 2));
        float[] copied = new float[1000];
        gpu.download(copy, copied);
        assertArrayEquals(src, copied, 0f, "copy_floats");
    }

    // ---- attention ---------------------------------------------------------------------------------------

    /** A paged KV cache as the kernels see it: [physical slot][kvHead][headDim], blocks scattered. */
    static final class PagedKv {
        final int blockSize;
        final int kvHeads;
        final int headDim;
        final float[] keys;
        final float[] values;
        final int[][] tables;

        PagedKv(Random rnd, int blockSize, int kvHeads, int headDim, int maxBlocks, int... lengths) {
            this.blockSize = blockSize;
            this.kvHeads = kvHeads;
            this.headDim = headDim;
            int needed = 0;
            for (int len : lengths) {
                needed += (len + blockSize - 1) / blockSize;
            }
            int total = needed + 3;  // a few blocks nobody owns
            List<Integer> physical = new ArrayList<>(IntStream.range(0, total).boxed().toList());
            Collections.shuffle(physical, rnd);
            tables = new int[lengths.length][maxBlocks];
            int next = 0;
            for (int s = 0; s < lengths.length; s++) {
                for (int b = 0; b < (lengths[s] + blockSize - 1) / blockSize; b++) {
                    tables[s][b] = physical.get(next++);
                }
            }
            keys = random(rnd, total * blockSize * kvHeads * headDim);
            values = new float[keys.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (rnd.nextDouble() * 2 - 1);
            }
        }

        int offset(int seq, int slot, int kvHead) {
            int phys = tables[seq][slot / blockSize] * blockSize + slot % blockSize;
            return (phys * kvHeads + kvHead) * headDim;
        }

        int[] flatTables() {
            int[] flat = new int[tables.length * tables[0].length];
            for (int s = 0; s < tables.length; s++) {
                System.arraycopy(tables[s], 0, flat, s * tables[0].length, tables[0].length);
            }
            return flat;
        }

        /** Sequence {@code seq}'s KV as the attention SPI reads it. */
        KvSequenceView view(int seq, int length) {
            return new KvSequenceView() {
                @Override
                public int length() {
                    return length;
                }

                @Override
                public int blockSize() {
                    return blockSize;
                }

                @Override
                public int position(int slot) {
                    return slot;
                }

                @Override
                public float dotKey(int slot, int kvHead, float[] q, int qOffset) {
                    int o = offset(seq, slot, kvHead);
                    float s = 0;
                    for (int d = 0; d < headDim; d++) {
                        s += keys[o + d] * q[qOffset + d];
                    }
                    return s;
                }

                @Override
                public void accumulateValue(int slot, int kvHead, float weight, float[] acc, int accOffset) {
                    int o = offset(seq, slot, kvHead);
                    for (int d = 0; d < headDim; d++) {
                        acc[accOffset + d] += weight * values[o + d];
                    }
                }

                @Override
                public void readKey(int slot, int kvHead, float[] dst, int dstOffset) {
                    System.arraycopy(keys, offset(seq, slot, kvHead), dst, dstOffset, headDim);
                }

                @Override
                public void readValue(int slot, int kvHead, float[] dst, int dstOffset) {
                    System.arraycopy(values, offset(seq, slot, kvHead), dst, dstOffset, headDim);
                }
            };
        }
    }

    /** The engine's reference attention (the baseline plugin's exact softmax) for one sequence. */
    static float[] denseAttention(PagedKv kv, int seq, int length, int heads, float[] q, int queries,
                                  AttentionMask mask, AttentionPhase phase) {
        LayerInfo layer = new LayerInfo(0, 1, heads, kv.kvHeads, kv.headDim);
        float[] out = new float[queries * heads * kv.headDim];
        KvSequenceView view = kv.view(seq, length);
        new DenseAttention().attend(new AttentionCall() {
            @Override
            public LayerInfo layer() {
                return layer;
            }

            @Override
            public SequenceId sequence() {
                return null;
            }

            @Override
            public AttentionPhase phase() {
                return phase;
            }

            @Override
            public int queryCount() {
                return queries;
            }

            @Override
            public int queryPosition(int i) {
                return mask.end(i) - 1;
            }

            @Override
            public float[] queries() {
                return q;
            }

            @Override
            public int queriesOffset() {
                return 0;
            }

            @Override
            public KvSequenceView kv() {
                return view;
            }

            @Override
            public AttentionMask mask() {
                return mask;
            }

            @Override
            public float scale() {
                return layer.scale();
            }

            @Override
            public float[] output() {
                return out;
            }

            @Override
            public int outputOffset() {
                return 0;
            }

            @Override
            public StepState stepState() {
                return null;
            }
        });
        return out;
    }

    /**
     * Decode attention for a batch of sequences of different lengths over scattered block tables, split in
     * chunks of {@code chunk} slots, against dense attention per sequence.
     */
    static void pagedDecode(KernelLauncher gpu, int chunk, int heads, int kvHeads, int headDim, int... lengths) {
        Random rnd = new Random(23L + chunk);
        int blockSize = 16;
        int maxLen = IntStream.of(lengths).max().orElseThrow();
        int maxBlocks = (maxLen + blockSize - 1) / blockSize + 1;
        PagedKv kv = new PagedKv(rnd, blockSize, kvHeads, headDim, maxBlocks, lengths);
        int seqs = lengths.length;
        float[] q = random(rnd, seqs * heads * headDim);
        int splits = Kernels.decodeSplits(maxLen, chunk);
        GpuBuffer partOut = gpu.allocate(4L * seqs * heads * splits * headDim);
        GpuBuffer partMax = gpu.allocate(4L * seqs * heads * splits);
        GpuBuffer partSum = gpu.allocate(4L * seqs * heads * splits);
        GpuBuffer out = gpu.allocate(4L * seqs * heads * headDim);
        float scale = (float) (1.0 / Math.sqrt(headDim));
        for (KernelLaunch l : Kernels.pagedAttentionDecode(gpu.upload(q), gpu.upload(kv.keys), gpu.upload(kv.values),
                gpu.upload(kv.flatTables()), gpu.upload(lengths), seqs, maxBlocks, blockSize, heads, kvHeads, headDim,
                scale, maxLen, chunk, partOut, partMax, partSum, out)) {
            gpu.launch(l);
        }
        float[] got = new float[seqs * heads * headDim];
        gpu.download(out, got);
        for (int s = 0; s < seqs; s++) {
            float[] qs = java.util.Arrays.copyOfRange(q, s * heads * headDim, (s + 1) * heads * headDim);
            float[] want = denseAttention(kv, s, lengths[s], heads, qs, 1, new AttentionMask.Causal(lengths[s] - 1),
                    AttentionPhase.DECODE);
            float[] mine = java.util.Arrays.copyOfRange(got, s * heads * headDim, (s + 1) * heads * headDim);
            assertArrayEquals(want, mine, 2e-5f, "decode attention, sequence " + s + " of length " + lengths[s]
                    + ", " + splits + " splits of " + chunk);
        }
    }

    /**
     * Attention of a draft tree's nodes (parents given), or of a causal prefill chunk ({@code parents == null}),
     * at slots {@code base..}, against dense attention with the engine's tree or causal mask.
     */
    static void tree(KernelLauncher gpu, int base, int[] parents, int queries, int heads, int kvHeads, int headDim) {
        Random rnd = new Random(29L + base + queries);
        int blockSize = 16;
        int length = base + queries;
        int maxBlocks = (length + blockSize - 1) / blockSize;
        PagedKv kv = new PagedKv(rnd, blockSize, kvHeads, headDim, maxBlocks, length);
        float[] q = random(rnd, queries * heads * headDim);
        GpuBuffer out = gpu.allocate(4L * queries * heads * headDim);
        float scale = (float) (1.0 / Math.sqrt(headDim));
        GpuBuffer dq = gpu.upload(q);
        GpuBuffer keys = gpu.upload(kv.keys);
        GpuBuffer values = gpu.upload(kv.values);
        GpuBuffer table = gpu.upload(kv.tables[0]);
        AttentionMask mask;
        if (parents == null) {
            gpu.launch(Kernels.causalAttention(dq, keys, values, table, base, queries, blockSize, heads, kvHeads,
                    headDim, scale, out));
            mask = new AttentionMask.Causal(base);
        } else {
            gpu.launch(Kernels.treeAttention(dq, keys, values, table, base, queries, gpu.upload(parents), blockSize,
                    heads, kvHeads, headDim, scale, out));
            mask = new AttentionMask.Tree(base, parents);
        }
        float[] got = new float[queries * heads * headDim];
        gpu.download(out, got);
        float[] want = denseAttention(kv, 0, length, heads, q, queries, mask,
                parents == null ? AttentionPhase.PREFILL : AttentionPhase.VERIFY);
        assertArrayEquals(want, got, 2e-5f, (parents == null ? "causal" : "tree") + " attention");
    }

    // ---- sampling ----------------------------------------------------------------------------------------

    /** Rows with a random maximum, a tie at the maximum (the lower id wins), and NaN and infinities. */
    static float[] samplingRows(int vocab) {
        Random rnd = new Random(37);
        float[] logits = random(rnd, 3 * vocab);
        logits[vocab + 700] = 9f;
        logits[vocab + 300] = 9f;
        logits[vocab + 301] = 9f;
        logits[2 * vocab + 3] = Float.NaN;
        logits[2 * vocab + 4] = Float.POSITIVE_INFINITY;
        logits[2 * vocab + 5] = Float.NEGATIVE_INFINITY;
        return logits;
    }

    /** Ids of a row, best first: value descending, id ascending on ties, NaN as −∞ (the engine's order). */
    static List<Integer> ranking(float[] logits, int row, int vocab) {
        return IntStream.range(0, vocab).boxed().sorted(Comparator.<Integer>comparingDouble(i -> {
            float v = logits[row * vocab + i];
            return Float.isNaN(v) ? Double.POSITIVE_INFINITY : -v == 0 ? 0 : -(double) v;
        }).thenComparingInt(i -> i)).toList();
    }

    static void argmax(KernelLauncher gpu) {
        int vocab = 1000;
        float[] logits = samplingRows(vocab);
        GpuBuffer ids = gpu.allocate(12);
        GpuBuffer values = gpu.allocate(12);
        gpu.launch(Kernels.argmax(gpu.upload(logits), 3, vocab, ids, values));
        int[] got = new int[3];
        gpu.download(ids, got);
        for (int r = 0; r < 3; r++) {
            assertEquals(ranking(logits, r, vocab).getFirst(), got[r], "argmax of row " + r);
        }
        assertEquals(300, got[1], "ties go to the lowest id");
        assertEquals(4, got[2], "+inf wins; NaN never does");
    }

    static void topK(KernelLauncher gpu, int k) {
        int vocab = 1000;
        float[] logits = samplingRows(vocab);
        GpuBuffer ids = gpu.allocate(4L * 3 * k);
        GpuBuffer values = gpu.allocate(4L * 3 * k);
        gpu.launch(Kernels.topK(gpu.upload(logits), 3, vocab, k, ids, values));
        int[] got = new int[3 * k];
        gpu.download(ids, got);
        for (int r = 0; r < 3; r++) {
            List<Integer> want = ranking(logits, r, vocab).subList(0, k);
            int row = r;
            List<Integer> mine = IntStream.range(0, k).mapToObj(i -> got[row * k + i]).toList();
            assertEquals(want, mine, "top-" + k + " of row " + r);
        }
    }

    private static void assertRelative(float[] want, float[] got, double tolerance, String what) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            int at = i;
            assertTrue(Math.abs(want[i] - got[i]) <= tolerance * Math.max(1.0, Math.abs(want[i])),
                    () -> what + "[" + at + "] = " + got[at] + ", the CPU gives " + want[at]);
        }
    }
}
