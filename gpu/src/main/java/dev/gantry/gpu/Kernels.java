package dev.gantry.gpu;

import dev.gantry.engine.tensor.GgmlType;

import java.util.List;

/**
 * Every kernel launch the GPU code makes, built in one place: the geometry (grid, block), the dynamic shared
 * memory and the argument order of each kernel in {@code src/main/cuda}. The constants mirror the kernels'
 * {@code #define}s (a test reads the sources and compares), and the same {@link KernelLaunch}es run on a GPU
 * through {@link JCudaLauncher} and on the CPU through the tests' harness.
 *
 * <p>Shapes follow the engine: activations are rows of floats, row-major; a weight of {@code rows × cols} is
 * stored as GGUF stores it; {@code out[t·rows + r] = W.row(r) · x[t·cols ..]}.
 */
public final class Kernels {

    /** matvec.cu: threads per block (one warp per weight row). */
    public static final int MATVEC_THREADS = 128;
    /** matvec.cu: tokens one block multiplies together. */
    public static final int MATVEC_TOKENS = 8;
    /** matmul.cu: rows and tokens per output tile. */
    public static final int MM_TILE = 32;
    /** matmul.cu: threads per block. */
    public static final int MM_THREADS = 256;
    /** elementwise.cu: threads per block. */
    public static final int ELEMENTWISE_THREADS = 256;
    /** attention.cu: threads per block; also the largest head size. */
    public static final int ATTN_THREADS = 128;
    /** attention.cu: slots per chunk of the tree kernel's online softmax. */
    public static final int TREE_CHUNK = 256;
    /** sampling.cu: threads per block. */
    public static final int SAMPLING_THREADS = 256;
    /** Up to this many tokens a product runs the matrix-vector kernel; beyond it the tiled matrix kernel. */
    public static final int DECODE_TOKENS = 16;
    /** Slots per split of the decode attention (split-K): one block per head, sequence and split. */
    public static final int DEFAULT_DECODE_CHUNK = 512;

    private Kernels() {
    }

    /** The format number the kernels take (ggml's type id), or an error for a type without a kernel. */
    public static int format(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16, Q8_0, Q4_0 -> type.id();
            default -> throw new IllegalArgumentException("no CUDA kernel reads " + type
                    + " weights (supported: F32, F16, BF16, Q8_0, Q4_0)");
        };
    }

    private static int ceil(long a, long b) {
        return Math.toIntExact((a + b - 1) / b);
    }

    /** Decode product for up to a few tokens, reading the weights in their stored format. */
    public static KernelLaunch matvec(GgmlType type, GpuBuffer w, int rows, int cols, GpuBuffer x, int n,
                                      GpuBuffer out) {
        String kernel = switch (type) {
            case F32 -> "matvec_f32";
            case F16 -> "matvec_f16";
            case BF16 -> "matvec_bf16";
            case Q8_0 -> "matvec_q8_0";
            case Q4_0 -> "matvec_q4_0";
            default -> throw new IllegalArgumentException("no CUDA kernel reads " + type + " weights");
        };
        requireFloats(x, (long) n * cols, "x");
        requireFloats(out, (long) n * rows, "out");
        return new KernelLaunch(kernel, Dim3.of(ceil(rows, MATVEC_THREADS / 32), ceil(n, MATVEC_TOKENS)),
                Dim3.of(MATVEC_THREADS), 0, List.of(w, rows, cols, x, n, out));
    }

    /**
     * Prefill product in 32×32 tiles: {@code tensorCores} picks the wmma kernel (f16 inputs, f32 sums; GPU only),
     * otherwise the plain float kernel, its twin, which the CPU harness runs.
     */
    public static KernelLaunch matmul(GgmlType type, GpuBuffer w, int rows, int cols, GpuBuffer x, int n,
                                      GpuBuffer out, boolean tensorCores) {
        requireFloats(x, (long) n * cols, "x");
        requireFloats(out, (long) n * rows, "out");
        return new KernelLaunch(tensorCores ? "matmul_tc" : "matmul_tiled",
                Dim3.of(ceil(rows, MM_TILE), ceil(n, MM_TILE)), Dim3.of(MM_THREADS), 0,
                List.of(w, format(type), rows, cols, x, n, out));
    }

    /** The product for {@code n} tokens: the matrix-vector kernel for decode, the tiled one for prefill. */
    public static KernelLaunch product(GgmlType type, GpuBuffer w, int rows, int cols, GpuBuffer x, int n,
                                       GpuBuffer out, boolean tensorCores) {
        return n <= DECODE_TOKENS ? matvec(type, w, rows, cols, x, n, out)
                : matmul(type, w, rows, cols, x, n, out, tensorCores);
    }

    /** {@code out[r] = table.row(tokens[r])}, decoded, for {@code rows} tokens. */
    public static KernelLaunch embed(GgmlType type, GpuBuffer table, int cols, GpuBuffer tokens, int rows,
                                     GpuBuffer out) {
        requireFloats(out, (long) rows * cols, "out");
        return new KernelLaunch("embed_rows", Dim3.of(rows), Dim3.of(ELEMENTWISE_THREADS), 0,
                List.of(table, format(type), cols, tokens, out));
    }

    /** RMSNorm of {@code rows} rows of {@code dim}. */
    public static KernelLaunch rmsNorm(GpuBuffer x, GpuBuffer weight, float eps, int dim, int rows, GpuBuffer out) {
        requireFloats(out, (long) rows * dim, "out");
        return new KernelLaunch("rms_norm", Dim3.of(rows), Dim3.of(ELEMENTWISE_THREADS), 0,
                List.of(x, weight, eps, dim, out));
    }

    /**
     * RoPE of {@code heads} heads at the start of each of {@code rows} rows ({@code stride} floats apart), at the
     * rows' positions; {@code cos} and {@code sin} are [position][pairs] tables ({@link RopeTables}).
     */
    public static KernelLaunch rope(GpuBuffer x, int stride, GpuBuffer positions, GpuBuffer cos, GpuBuffer sin,
                                    int heads, int headDim, int pairs, int rows) {
        return new KernelLaunch("rope_rows", Dim3.of(rows), Dim3.of(ELEMENTWISE_THREADS), 0,
                List.of(x, stride, positions, cos, sin, heads, headDim, pairs));
    }

    /** {@code gate = silu(gate) · up} over {@code total} elements. */
    public static KernelLaunch swiglu(GpuBuffer gate, GpuBuffer up, int total) {
        return new KernelLaunch("swiglu", Dim3.of(ceil(total, ELEMENTWISE_THREADS)), Dim3.of(ELEMENTWISE_THREADS), 0,
                List.of(gate, up, total));
    }

    /** {@code acc += delta} over {@code total} elements. */
    public static KernelLaunch add(GpuBuffer acc, GpuBuffer delta, int total) {
        return new KernelLaunch("add_in_place", Dim3.of(ceil(total, ELEMENTWISE_THREADS)),
                Dim3.of(ELEMENTWISE_THREADS), 0, List.of(acc, delta, total));
    }

    /** Writes {@code rows} rows of keys and values into the physical slots {@code slots[r]} of one layer. */
    public static KernelLaunch kvWrite(GpuBuffer k, GpuBuffer v, int kvDim, GpuBuffer slots, int rows,
                                       GpuBuffer kCache, GpuBuffer vCache) {
        return new KernelLaunch("kv_write", Dim3.of(rows), Dim3.of(ELEMENTWISE_THREADS), 0,
                List.of(k, v, kvDim, slots, kCache, vCache));
    }

    /** Moves KV rows of one layer in order: slot {@code to[r]} takes slot {@code from[r]}'s keys and values. */
    public static KernelLaunch kvMove(GpuBuffer kCache, GpuBuffer vCache, int kvDim, GpuBuffer from, GpuBuffer to,
                                      int rows) {
        return new KernelLaunch("kv_move", Dim3.of(1), Dim3.of(ELEMENTWISE_THREADS), 0,
                List.of(kCache, vCache, kvDim, from, to, rows));
    }

    /** {@code dst[j] = src[rows[j]]} for {@code count} rows of {@code width}. */
    public static KernelLaunch gatherRows(GpuBuffer src, GpuBuffer rows, int count, int width, GpuBuffer dst) {
        return new KernelLaunch("gather_rows", Dim3.of(count), Dim3.of(ELEMENTWISE_THREADS), 0,
                List.of(src, rows, width, dst));
    }

    /** A device-to-device copy of {@code count} floats by {@code blocks} blocks (the bandwidth probe). */
    public static KernelLaunch copyFloats(GpuBuffer src, GpuBuffer dst, long count, int blocks) {
        return new KernelLaunch("copy_floats", Dim3.of(blocks), Dim3.of(ELEMENTWISE_THREADS), 0,
                List.of(src, dst, count));
    }

    /** Splits of the decode attention for the longest sequence of a batch. */
    public static int decodeSplits(int maxLength, int chunk) {
        return Math.max(1, ceil(maxLength, chunk));
    }

    /** Dynamic shared memory of {@code paged_attention_decode}: the query, the chunk's scores, 32 for reductions. */
    public static int decodeSharedBytes(int headDim, int chunk) {
        return 4 * (headDim + chunk + 32);
    }

    /** Dynamic shared memory of {@code tree_attention}: query, visibility per node, a chunk of scores, 32. */
    public static int treeSharedBytes(int headDim, int queries) {
        return 4 * (headDim + queries + TREE_CHUNK + 32);
    }

    /**
     * Decode attention for a batch of {@code seqs} sequences, one query each, over their block tables; split-K in
     * chunks of {@code chunk} slots, then the splits merged. {@code q} and {@code out} are [seq][heads·headDim];
     * {@code blockTables} is [seq][maxBlocks]; the partial buffers hold {@code seqs·heads·splits} entries (times
     * {@code headDim} for {@code partOut}).
     *
     * @param maxLength the longest sequence's length (decides the number of splits)
     */
    public static List<KernelLaunch> pagedAttentionDecode(GpuBuffer q, GpuBuffer kCache, GpuBuffer vCache,
                                                          GpuBuffer blockTables, GpuBuffer seqLens, int seqs,
                                                          int maxBlocks, int blockSize, int heads, int kvHeads,
                                                          int headDim, float scale, int maxLength, int chunk,
                                                          GpuBuffer partOut, GpuBuffer partMax, GpuBuffer partSum,
                                                          GpuBuffer out) {
        checkHeads(heads, kvHeads, headDim);
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be positive");
        }
        int splits = decodeSplits(maxLength, chunk);
        long parts = (long) seqs * heads * splits;
        requireFloats(partOut, parts * headDim, "partOut");
        requireFloats(partMax, parts, "partMax");
        requireFloats(partSum, parts, "partSum");
        int shared = decodeSharedBytes(headDim, chunk);
        checkShared("paged_attention_decode", shared);
        return List.of(
                new KernelLaunch("paged_attention_decode", new Dim3(heads, splits, seqs), Dim3.of(ATTN_THREADS),
                        shared, List.of(q, kCache, vCache, blockTables, seqLens, maxBlocks, blockSize, heads, kvHeads,
                        headDim, scale, chunk, partOut, partMax, partSum)),
                new KernelLaunch("paged_attention_combine", Dim3.of(heads, seqs), Dim3.of(ATTN_THREADS), 0,
                        List.of(partOut, partMax, partSum, splits, heads, headDim, out)));
    }

    /**
     * Attention of a draft tree's {@code queries} nodes (rows of {@code q}, at slots {@code baseSlot + i}, their KV
     * already written) of one sequence: node i sees every slot before {@code baseSlot} and its own ancestors
     * ({@code parents[j] < j}, −1 for a root) and itself.
     */
    public static KernelLaunch treeAttention(GpuBuffer q, GpuBuffer kCache, GpuBuffer vCache, GpuBuffer blockTable,
                                             int baseSlot, int queries, GpuBuffer parents, int blockSize, int heads,
                                             int kvHeads, int headDim, float scale, GpuBuffer out) {
        return tree(q, kCache, vCache, blockTable, baseSlot, queries, parents, 0, blockSize, heads, kvHeads, headDim,
                scale, out);
    }

    /** Causal attention of a prefill chunk: the tree kernel with the chain mask (node i sees nodes 0..i). */
    public static KernelLaunch causalAttention(GpuBuffer q, GpuBuffer kCache, GpuBuffer vCache, GpuBuffer blockTable,
                                               int baseSlot, int queries, int blockSize, int heads, int kvHeads,
                                               int headDim, float scale, GpuBuffer out) {
        // The kernel never reads parents when causal; any valid pointer will do.
        return tree(q, kCache, vCache, blockTable, baseSlot, queries, blockTable, 1, blockSize, heads, kvHeads,
                headDim, scale, out);
    }

    private static KernelLaunch tree(GpuBuffer q, GpuBuffer kCache, GpuBuffer vCache, GpuBuffer blockTable,
                                     int baseSlot, int queries, GpuBuffer parents, int causal, int blockSize,
                                     int heads, int kvHeads, int headDim, float scale, GpuBuffer out) {
        checkHeads(heads, kvHeads, headDim);
        int shared = treeSharedBytes(headDim, queries);
        checkShared("tree_attention", shared);
        requireFloats(out, (long) queries * heads * headDim, "out");
        return new KernelLaunch("tree_attention", Dim3.of(heads, queries), Dim3.of(ATTN_THREADS), shared,
                List.of(q, kCache, vCache, blockTable, baseSlot, queries, parents, causal, blockSize, heads, kvHeads,
                        headDim, scale, out));
    }

    /** The best token of each of {@code rows} rows of logits (lowest id on ties). */
    public static KernelLaunch argmax(GpuBuffer logits, int rows, int vocab, GpuBuffer outIds, GpuBuffer outValues) {
        return new KernelLaunch("argmax_rows", Dim3.of(rows), Dim3.of(SAMPLING_THREADS), 0,
                List.of(logits, vocab, outIds, outValues));
    }

    /** The {@code k} best tokens of each row, best first. */
    public static KernelLaunch topK(GpuBuffer logits, int rows, int vocab, int k, GpuBuffer outIds,
                                    GpuBuffer outValues) {
        if (k < 1 || k > vocab) {
            throw new IllegalArgumentException("top-k needs 1 <= k <= vocabulary size, got k=" + k);
        }
        return new KernelLaunch("topk_rows", Dim3.of(rows), Dim3.of(SAMPLING_THREADS), 0,
                List.of(logits, vocab, k, outIds, outValues));
    }

    private static void checkHeads(int heads, int kvHeads, int headDim) {
        if (headDim > ATTN_THREADS || heads % kvHeads != 0) {
            throw new IllegalArgumentException("attention kernels need headDim <= " + ATTN_THREADS
                    + " and heads a multiple of kvHeads; got headDim " + headDim + ", " + heads + "/" + kvHeads);
        }
    }

    private static void checkShared(String kernel, int bytes) {
        if (bytes > KernelLaunch.DEFAULT_SHARED_LIMIT) {
            throw new IllegalArgumentException(kernel + " would need " + bytes + " bytes of shared memory, more than "
                    + KernelLaunch.DEFAULT_SHARED_LIMIT);
        }
    }

    private static void requireFloats(GpuBuffer b, long floats, String what) {
        if (b.bytes() < 4 * floats) {
            throw new IllegalArgumentException(what + " holds " + b.bytes() / 4 + " floats, the launch needs " + floats);
        }
    }
}
