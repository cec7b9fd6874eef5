package dev.gantry.gpu;

import dev.gantry.engine.kv.KvBlockMirror;
import dev.gantry.engine.kv.PagedKvCache;
import dev.gantry.engine.kv.SequenceBlocks;
import dev.gantry.engine.llama.ForwardBatch;
import dev.gantry.engine.llama.LlamaConfig;
import dev.gantry.engine.llama.LlamaForward;
import dev.gantry.engine.llama.LlamaModel;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.AttentionPhase;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The engine's forward pass resident on a CUDA device: each step's {@link ForwardBatch} — prefill chunks,
 * decode tokens and draft trees of many sequences — runs through {@link ResidentLayers} with weights,
 * activations and KV in device memory. Per step one array of ints goes over (tokens, positions, KV slots, block
 * tables, tree parents, which rows want logits) and the logits of those rows come back for the engine's
 * sampler; hidden states follow only when the loop asks for them.
 *
 * <p>The KV lives in {@link DeviceKvBlocks} under the block ids of the engine's {@link PagedKvCache}, which keeps
 * deciding every allocation, prefix share, copy and swap; the cache tells the device copy about its own
 * content changes through {@link PagedKvCache#mirrorTo}. Attention is exact softmax attention, the baseline
 * {@code dense} backend's, in our kernels: consecutive decode tokens batched in one paged decode launch
 * (split-K), each prefill chunk causal and each draft tree masked by its parents in the tree kernel. Keys and
 * values are float32, as the {@code f32} codec stores them.
 *
 * <p>Loop thread only, one step at a time.
 */
final class CudaBatchForward implements LlamaForward {

    private final LlamaConfig c;
    private final KernelLauncher gpu;
    private final PagedKvCache cache;
    private final ResidentLayers model;
    private final DeviceKvBlocks kv;
    private final int vocab;
    private final int maxRows;
    private final int maxSegments;
    private final int tableWidth;
    private final int decodeChunk = Kernels.DEFAULT_DECODE_CHUNK;

    // One step's inputs, in one int array uploaded at once: these are its regions' offsets, in ints.
    private final int positionsAt;
    private final int slotsAt;
    private final int logitRowsAt;
    private final int parentsAt;
    private final int seqLensAt;
    private final int tablesAt;
    private final int[] staged;
    private final GpuBuffer inputs;
    private final GpuBuffer partOut;
    private final GpuBuffer partMax;
    private final GpuBuffer partSum;

    // Attention work of the step being run, set once per forward and read by every layer: at each segment that
    // starts a run of consecutive decode segments, the run's length and its longest sequence (0 elsewhere).
    private ForwardBatch batch;
    private final int[] decodeRun;
    private final int[] decodeRunLongest;
    private final ResidentLayers.Attention attention = this::attend;

    // Hidden states of the last forward's logit rows, downloaded on first request.
    private int hiddenRows;
    private boolean hiddenOnHost;
    private float[] hidden = new float[0];
    private float[] hiddenNorm = new float[0];

    /**
     * Uploads the model and allocates KV for every block of {@code cache}, which it then mirrors.
     *
     * @throws IllegalArgumentException when the kernels cannot run this model or step size (a weight type
     *                                  without a kernel, heads above the kernels' size, a tree or chunk too
     *                                  long for the attention kernel's shared memory)
     */
    CudaBatchForward(LlamaModel model, KernelLauncher gpu, PagedKvCache cache, int maxRows, int maxSegments,
                     boolean tensorCores) {
        this.c = model.config();
        this.gpu = gpu;
        this.cache = cache;
        this.maxRows = maxRows;
        this.maxSegments = maxSegments;
        int shared = Kernels.treeSharedBytes(c.headDim(), maxRows);
        if (shared > KernelLaunch.DEFAULT_SHARED_LIMIT) {
            throw new IllegalArgumentException("a step of " + maxRows + " tokens needs " + shared
                    + " bytes of shared memory in the attention kernel, more than " + KernelLaunch.DEFAULT_SHARED_LIMIT);
        }
        int context = c.contextLength();
        this.tableWidth = (context + cache.blockSize() - 1) / cache.blockSize();
        this.positionsAt = maxRows;
        this.slotsAt = 2 * maxRows;
        this.logitRowsAt = 3 * maxRows;
        this.parentsAt = 4 * maxRows;
        this.seqLensAt = 5 * maxRows;
        this.tablesAt = seqLensAt + maxSegments;
        this.staged = new int[tablesAt + maxSegments * tableWidth];
        this.decodeRun = new int[maxSegments];
        this.decodeRunLongest = new int[maxSegments];

        this.model = new ResidentLayers(model, gpu, maxRows, Math.min(maxRows, maxSegments), context, tensorCores);
        this.vocab = this.model.vocabularySize();
        int splits = Kernels.decodeSplits(context, decodeChunk);
        long parts = (long) maxSegments * c.heads() * splits;
        DeviceKvBlocks blocks = null;
        GpuBuffer[] buffers = new GpuBuffer[4];
        try {
            blocks = new DeviceKvBlocks(gpu, c.layers(), c.kvDim(), cache.budget().totalBlocks(), cache.blockSize());
            buffers[0] = gpu.allocate(4L * staged.length);
            buffers[1] = gpu.allocate(4L * parts * c.headDim());
            buffers[2] = gpu.allocate(4L * parts);
            buffers[3] = gpu.allocate(4L * parts);
        } catch (RuntimeException e) {
            for (GpuBuffer b : buffers) {
                if (b != null) {
                    gpu.free(b);
                }
            }
            if (blocks != null) {
                blocks.close();
            }
            this.model.close();
            throw e;
        }
        this.kv = blocks;
        this.inputs = buffers[0];
        this.partOut = buffers[1];
        this.partMax = buffers[2];
        this.partSum = buffers[3];
        cache.mirrorTo(kv);
    }

    @Override
    public ForwardBatch newBatch() {
        return new ForwardBatch(maxRows, maxSegments);
    }

    @Override
    public int vocabularySize() {
        return vocab;
    }

    @Override
    public void forward(ForwardBatch b, float[] logits) {
        int n = b.rows();
        if (n == 0) {
            return;
        }
        int segments = b.segments();
        for (int r = 0; r < n; r++) {
            int token = b.token(r);
            if (token < 0 || token >= vocab) {
                throw new IllegalArgumentException("token id " + token + " is outside the vocabulary of " + vocab);
            }
            staged[r] = token;
            staged[positionsAt + r] = b.position(r);
        }
        for (int s = 0; s < segments; s++) {
            stageSegment(b, s);
        }
        int m = b.logitCount();
        for (int j = 0; j < m; j++) {
            staged[logitRowsAt + j] = b.logitRow(j);
        }
        planDecodeRuns(b);
        gpu.upload(MemorySegment.ofArray(staged).asSlice(0, 4L * (tablesAt + segments * tableWidth)), inputs);

        batch = b;
        model.layers(n, ints(0, n), ints(positionsAt, n), ints(slotsAt, n), kv, attention);
        batch = null;
        hiddenRows = m;
        hiddenOnHost = false;
        if (m > 0) {
            model.head(m, ints(logitRowsAt, m));
            gpu.download(model.logits(), MemorySegment.ofArray(logits).asSlice(0, 4L * m * vocab));
        }
    }

    /** Segment {@code s}'s KV slots, block table, length after the step and tree parents, into the staged ints. */
    private void stageSegment(ForwardBatch b, int s) {
        SequenceBlocks blocks = b.blocks(s);
        int blockSize = kv.blockSize();
        if (blocks.blockCount() > tableWidth) {
            throw new IllegalStateException("a sequence holds " + blocks.blockCount() + " blocks; the model's context"
                    + " needs at most " + tableWidth);
        }
        int table = tablesAt + s * tableWidth;
        for (int i = 0; i < blocks.blockCount(); i++) {
            staged[table + i] = blocks.blockAt(i);
        }
        int start = b.segmentStart(s);
        int rows = b.segmentRows(s);
        for (int i = 0; i < rows; i++) {
            int slot = b.firstSlot(s) + i;
            staged[slotsAt + start + i] = kv.physicalSlot(blocks.blockOf(slot), slot % blockSize);
        }
        staged[seqLensAt + s] = b.firstSlot(s) + rows;
        int[] parents = b.treeParents(s);
        if (parents != null) {
            System.arraycopy(parents, 0, staged, parentsAt + start, rows);
        }
    }

    /**
     * Consecutive decode segments (one row each, so their rows are consecutive too) share one paged decode
     * launch per layer: finds the runs of them once per step.
     */
    private void planDecodeRuns(ForwardBatch b) {
        for (int s = 0; s < b.segments(); ) {
            int count = 0;
            int longest = 0;
            while (s + count < b.segments() && b.phase(s + count) == AttentionPhase.DECODE) {
                longest = Math.max(longest, staged[seqLensAt + s + count]);
                count++;
            }
            decodeRun[s] = count;
            decodeRunLongest[s] = longest;
            s += Math.max(1, count);
        }
    }

    /** Layer {@code l}'s attention for every segment of the step. */
    private void attend(int l) {
        ForwardBatch b = batch;
        int qDim = c.heads() * c.headDim();
        int s = 0;
        while (s < b.segments()) {
            int start = b.segmentStart(s);
            int count = decodeRun[s];
            if (count > 0) {
                Kernels.pagedAttentionDecode(rows(model.q(), start, count, qDim), kv.keys(l), kv.values(l),
                        ints(tablesAt + s * tableWidth, count * tableWidth), ints(seqLensAt + s, count), count,
                        tableWidth, kv.blockSize(), c.heads(), c.kvHeads(), c.headDim(), model.scale(),
                        decodeRunLongest[s], decodeChunk, partOut, partMax, partSum,
                        rows(model.attn(), start, count, qDim)).forEach(gpu::launch);
                s += count;
                continue;
            }
            int n = b.segmentRows(s);
            GpuBuffer q = rows(model.q(), start, n, qDim);
            GpuBuffer out = rows(model.attn(), start, n, qDim);
            GpuBuffer table = ints(tablesAt + s * tableWidth, tableWidth);
            gpu.launch(b.phase(s) == AttentionPhase.VERIFY
                    ? Kernels.treeAttention(q, kv.keys(l), kv.values(l), table, b.firstSlot(s), n,
                            ints(parentsAt + start, n), kv.blockSize(), c.heads(), c.kvHeads(), c.headDim(),
                            model.scale(), out)
                    : Kernels.causalAttention(q, kv.keys(l), kv.values(l), table, b.firstSlot(s), n,
                            kv.blockSize(), c.heads(), c.kvHeads(), c.headDim(), model.scale(), out));
            s++;
        }
    }

    /** Ints {@code [at, at + count)} of the step's inputs on the device. */
    private GpuBuffer ints(int at, int count) {
        return inputs.slice(4L * at, 4L * count);
    }

    /** Rows {@code [first, first + count)} of a buffer of rows {@code width} floats wide. */
    private static GpuBuffer rows(GpuBuffer buffer, int first, int count, int width) {
        return buffer.slice(4L * first * width, 4L * count * width);
    }

    @Override
    public void hidden(int j, boolean postNorm, float[] dst, int dstOffset) {
        int dim = c.dim();
        if (!hiddenOnHost) {
            if (hidden.length < hiddenRows * dim) {
                hidden = new float[hiddenRows * dim];
                hiddenNorm = new float[hiddenRows * dim];
            }
            gpu.download(model.hidden(), MemorySegment.ofArray(hidden).asSlice(0, 4L * hiddenRows * dim));
            gpu.download(model.hiddenNorm(), MemorySegment.ofArray(hiddenNorm).asSlice(0, 4L * hiddenRows * dim));
            hiddenOnHost = true;
        }
        System.arraycopy(postNorm ? hiddenNorm : hidden, Objects.checkIndex(j, hiddenRows) * dim, dst, dstOffset,
                dim);
    }

    /** Nothing to tell: the resident path runs dense attention, which keeps no per-sequence state. */
    @Override
    public void prefillDone(SequenceId sequence) {
    }

    @Override
    public String describe() {
        return "resident on " + gpu.name();
    }

    @Override
    public void close() {
        cache.mirrorTo(KvBlockMirror.NONE);
        gpu.free(inputs);
        gpu.free(partOut);
        gpu.free(partMax);
        gpu.free(partSum);
        kv.close();
        model.close();
    }
}
