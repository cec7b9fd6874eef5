package dev.gantry.gpu;

import dev.gantry.engine.llama.LayerWeights;
import dev.gantry.engine.llama.LlamaConfig;
import dev.gantry.engine.llama.LlamaModel;
import dev.gantry.engine.llama.LlamaWeights;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The Llama forward pass resident on a CUDA device: the same equations as the engine's
 * {@link dev.gantry.engine.llama.ForwardPass}, with the weights uploaded once, the activations and a paged KV
 * cache in device memory, and the next token chosen on the device. Per step, the host sends the tokens,
 * positions, KV slots and block tables (a few ints per row) and receives the chosen token ids; nothing else
 * crosses between layers.
 *
 * <pre>
 *   x = embed(tokens)
 *   for each block:  x += Wo · attention(RoPE(Wq·norm(x)), RoPE(Wk·norm(x)), Wv·norm(x))
 *                    x += Wdown · (silu(Wgate·norm(x)) ⊙ Wup·norm(x))
 *   next = argmax(Wout · norm(x))      (for the rows that need it)
 * </pre>
 *
 * A step is either a prefill chunk of one sequence (causal attention through the tree kernel with the chain
 * mask) or one decode token for each of several sequences (paged decode attention with split-K). KV is
 * float32, [physical slot][kvHead][headDim] per layer ({@link DeviceKvBlocks}), in blocks of {@code blockSize}
 * slots that sequences take from a free list. Runs on any {@link KernelLauncher}: a GPU, or the CUDA-on-CPU
 * harness in the tests. The engine serves through {@link CudaBatchForward}, on the same layers and kernels.
 *
 * <p>Not thread-safe: one step at a time.
 */
public final class CudaForward implements AutoCloseable {

    private final LlamaConfig c;
    private final KernelLauncher gpu;
    private final ResidentLayers model;
    private final DeviceKvBlocks kv;
    private final int vocab;
    private final int maxRows;
    private final int maxSequences;
    private final int maxContext;
    private final int blockSize;
    private final int blocksPerSequence;
    private final int decodeChunk;
    private final List<GpuBuffer> allocations = new ArrayList<>();
    private final Deque<Integer> freeBlocks = new ArrayDeque<>();

    private final GpuBuffer nextIds;
    private final GpuBuffer nextValues;
    // Step inputs from the host.
    private final GpuBuffer tokens;
    private final GpuBuffer positions;
    private final GpuBuffer slots;
    private final GpuBuffer logitRows;
    private final GpuBuffer blockTables;
    private final GpuBuffer seqLens;
    private final GpuBuffer partOut;
    private final GpuBuffer partMax;
    private final GpuBuffer partSum;
    private final GpuBuffer treeParents;
    private final GpuBuffer moveFrom;
    private final GpuBuffer moveTo;

    /** The most nodes a draft tree verified in one step may have. */
    public static final int MAX_TREE_NODES = 64;

    /** A sequence's KV on the device: its block table and length. */
    public final class Sequence {
        private final int[] blocks = new int[blocksPerSequence];
        private int blockCount;
        private int length;

        /** Tokens whose KV is cached. */
        public int length() {
            return length;
        }

        private void grow(int newLength) {
            if (newLength > maxContext) {
                throw new IllegalArgumentException("a sequence holds at most " + maxContext + " tokens here");
            }
            while (blockCount * blockSize < newLength) {
                Integer b = freeBlocks.poll();
                if (b == null) {
                    throw new IllegalStateException("the device KV cache is full");
                }
                blocks[blockCount++] = b;
            }
        }

        private int physicalSlot(int slot) {
            return kv.physicalSlot(blocks[slot / blockSize], slot % blockSize);
        }

        /** Returns the blocks to the free list. */
        public void release() {
            for (int i = 0; i < blockCount; i++) {
                freeBlocks.push(blocks[i]);
            }
            blockCount = 0;
            length = 0;
        }
    }

    /**
     * Uploads the model.
     *
     * @param maxRows      the most tokens one step processes (the longest prefill chunk)
     * @param maxSequences the most sequences one decode step runs
     * @param maxContext   the most tokens one sequence holds
     * @param blockSize    KV slots per block
     * @param tensorCores  whether prefill products use the tensor-core kernel (a GPU only)
     */
    public CudaForward(LlamaModel model, KernelLauncher gpu, int maxRows, int maxSequences, int maxContext,
                       int blockSize, boolean tensorCores) {
        this.c = model.config();
        this.gpu = gpu;
        this.maxRows = maxRows;
        this.maxSequences = maxSequences;
        this.maxContext = maxContext;
        this.blockSize = blockSize;
        this.blocksPerSequence = (maxContext + blockSize - 1) / blockSize;
        this.decodeChunk = Kernels.DEFAULT_DECODE_CHUNK;
        int logitRowsMax = Math.max(maxSequences, Math.min(maxRows, MAX_TREE_NODES));
        this.model = new ResidentLayers(model, gpu, maxRows, logitRowsMax, maxContext, tensorCores);
        this.vocab = this.model.vocabularySize();

        int totalBlocks = blocksPerSequence * maxSequences;
        this.kv = new DeviceKvBlocks(gpu, c.layers(), c.kvDim(), totalBlocks, blockSize);
        for (int b = totalBlocks - 1; b >= 0; b--) {
            freeBlocks.push(b);
        }

        nextIds = floats(logitRowsMax);
        nextValues = floats(logitRowsMax);
        tokens = floats(maxRows);
        positions = floats(maxRows);
        slots = floats(maxRows);
        logitRows = floats(logitRowsMax);
        blockTables = floats((long) maxSequences * blocksPerSequence);
        seqLens = floats(maxSequences);
        int maxSplits = Kernels.decodeSplits(maxContext, decodeChunk);
        partOut = floats((long) maxSequences * c.heads() * maxSplits * c.headDim());
        partMax = floats((long) maxSequences * c.heads() * maxSplits);
        partSum = floats((long) maxSequences * c.heads() * maxSplits);
        treeParents = floats(MAX_TREE_NODES);
        moveFrom = floats(MAX_TREE_NODES);
        moveTo = floats(MAX_TREE_NODES);
    }

    private GpuBuffer floats(long count) {
        GpuBuffer b = gpu.allocate(4 * Math.max(1, count));
        allocations.add(b);
        return b;
    }

    /** A new, empty sequence. */
    public Sequence newSequence() {
        return new Sequence();
    }

    /** Vocabulary size. */
    public int vocabularySize() {
        return vocab;
    }

    /**
     * Prefills {@code prompt} into {@code s} (in chunks of at most {@code maxRows}) and returns the greedy next
     * token after it.
     */
    public int prefill(Sequence s, int[] prompt) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("an empty prompt has nothing to prefill");
        }
        int next = -1;
        for (int from = 0; from < prompt.length; from += maxRows) {
            int n = Math.min(maxRows, prompt.length - from);
            int base = s.length;
            s.grow(base + n);
            int[] pos = new int[n];
            int[] phys = new int[n];
            for (int i = 0; i < n; i++) {
                pos[i] = base + i;
                phys[i] = s.physicalSlot(base + i);
            }
            uploadInts(tokens, Arrays.copyOfRange(prompt, from, from + n));
            uploadInts(positions, pos);
            uploadInts(slots, phys);
            uploadInts(blockTables, s.blocks);
            boolean last = from + n == prompt.length;
            if (last) {
                uploadInts(logitRows, new int[] {n - 1});  // every input goes over before the layers run
            }
            s.length = base + n;
            model.layers(n, tokens, positions, slots, kv, l -> gpu.launch(Kernels.causalAttention(model.q(),
                    kv.keys(l), kv.values(l), blockTables, base, n, blockSize, c.heads(), c.kvHeads(), c.headDim(),
                    model.scale(), model.attn())));
            if (last) {
                next = head(1)[0];
            }
        }
        return next;
    }

    /**
     * One decode step: appends {@code tokens[i]} to {@code sequences.get(i)} for each and returns the greedy next
     * token of each.
     */
    public int[] decode(List<Sequence> sequences, int[] next) {
        int n = sequences.size();
        if (n == 0 || n > maxSequences || n > maxRows) {
            throw new IllegalArgumentException("a decode step runs 1 to " + Math.min(maxSequences, maxRows)
                    + " sequences, got " + n);
        }
        int[] pos = new int[n];
        int[] phys = new int[n];
        int[] lens = new int[n];
        int[] tables = new int[n * blocksPerSequence];
        int maxLen = 0;
        for (int i = 0; i < n; i++) {
            Sequence s = sequences.get(i);
            s.grow(s.length + 1);
            pos[i] = s.length;
            phys[i] = s.physicalSlot(s.length);
            s.length++;
            lens[i] = s.length;
            maxLen = Math.max(maxLen, s.length);
            System.arraycopy(s.blocks, 0, tables, i * blocksPerSequence, blocksPerSequence);
        }
        uploadInts(tokens, next);
        uploadInts(positions, pos);
        uploadInts(slots, phys);
        uploadInts(seqLens, lens);
        uploadInts(blockTables, tables);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        uploadInts(logitRows, rows);
        int longest = maxLen;
        model.layers(n, tokens, positions, slots, kv, l -> Kernels.pagedAttentionDecode(model.q(), kv.keys(l),
                kv.values(l), blockTables, seqLens, n, blocksPerSequence, blockSize, c.heads(), c.kvHeads(),
                c.headDim(), model.scale(), longest, decodeChunk, partOut, partMax, partSum, model.attn())
                .forEach(gpu::launch));
        return head(n);
    }

    /**
     * Verifies a draft tree after {@code s}'s cached tokens in one forward: node {@code i} is token
     * {@code tree[i]} with parent {@code parents[i]} ({@code -1} for node 0, the pending token; otherwise
     * {@code parents[i] < i}), at slot {@code length + i} and position {@code length + depth(i)}, attending to the
     * cached tokens and its own ancestors. Returns the greedy next token after each node. The nodes' KV stays
     * uncommitted after the sequence until {@link #acceptPath} keeps one path of it.
     */
    public int[] verifyTree(Sequence s, int[] tree, int[] parents) {
        int n = tree.length;
        if (n == 0 || n != parents.length || n > Math.min(maxRows, MAX_TREE_NODES) || parents[0] != -1) {
            throw new IllegalArgumentException("a tree has 1 to " + Math.min(maxRows, MAX_TREE_NODES)
                    + " nodes, a parent each, and node 0 (parent -1) at its root");
        }
        int base = s.length;
        s.grow(base + n);
        int[] depth = new int[n];
        int[] pos = new int[n];
        int[] phys = new int[n];
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            if (i > 0 && (parents[i] < 0 || parents[i] >= i)) {
                throw new IllegalArgumentException("node " + i + " has parent " + parents[i] + "; parents come first");
            }
            depth[i] = i == 0 ? 0 : depth[parents[i]] + 1;
            pos[i] = base + depth[i];
            phys[i] = s.physicalSlot(base + i);
            rows[i] = i;
        }
        uploadInts(tokens, tree);
        uploadInts(positions, pos);
        uploadInts(slots, phys);
        uploadInts(blockTables, s.blocks);
        uploadInts(treeParents, parents);
        uploadInts(logitRows, rows);
        model.layers(n, tokens, positions, slots, kv, l -> gpu.launch(Kernels.treeAttention(model.q(), kv.keys(l),
                kv.values(l), blockTables, base, n, treeParents, blockSize, c.heads(), c.kvHeads(), c.headDim(),
                model.scale(), model.attn())));
        return head(n);
    }

    /**
     * Keeps the KV of one path of the tree last verified on {@code s}: {@code path} lists node indices from the
     * root (node 0) down, each a child of the one before; their keys and values move, in every layer, to the
     * slots right after the sequence's cached tokens, which then include them.
     */
    public void acceptPath(Sequence s, int[] path) {
        if (path.length == 0 || path[0] != 0 || path.length > MAX_TREE_NODES) {
            throw new IllegalArgumentException("a path starts at node 0");
        }
        int base = s.length;
        int[] from = new int[path.length];
        int[] to = new int[path.length];
        for (int i = 0; i < path.length; i++) {
            if (i > 0 && path[i] <= path[i - 1]) {
                throw new IllegalArgumentException("a path goes down the tree: node indices increase");
            }
            from[i] = s.physicalSlot(base + path[i]);
            to[i] = s.physicalSlot(base + i);
        }
        uploadInts(moveFrom, from);
        uploadInts(moveTo, to);
        for (int l = 0; l < c.layers(); l++) {
            gpu.launch(Kernels.kvMove(kv.keys(l), kv.values(l), c.kvDim(), moveFrom, moveTo, path.length));
        }
        s.length = base + path.length;
    }

    /** Greedy generation of {@code count} tokens after {@code prompt} in a fresh sequence. */
    public int[] generateGreedy(int[] prompt, int count) {
        Sequence s = newSequence();
        try {
            int[] out = new int[count];
            if (count == 0) {
                return out;
            }
            out[0] = prefill(s, prompt);
            for (int i = 1; i < count; i++) {
                out[i] = decode(List.of(s), new int[] {out[i - 1]})[0];
            }
            return out;
        } finally {
            s.release();
        }
    }

    /** The logits of the last step's logit rows, [row][vocab] (tests compare them with the CPU's). */
    public float[] lastLogits(int rows) {
        float[] out = new float[rows * vocab];
        gpu.download(model.logits(), out);
        return out;
    }

    /** Final norm, LM head and argmax for the {@code m} rows listed in {@code logitRows}; returns their tokens. */
    private int[] head(int m) {
        model.head(m, logitRows);
        gpu.launch(Kernels.argmax(model.logits(), m, vocab, nextIds, nextValues));
        int[] ids = new int[m];
        gpu.download(nextIds.slice(0, 4L * m), ids);
        return ids;
    }

    private void uploadInts(GpuBuffer dst, int[] values) {
        gpu.upload(java.lang.foreign.MemorySegment.ofArray(values), dst.slice(0, 4L * values.length));
    }

    /** Bytes of weights one decode token reads: every block's matrices and the LM head. */
    public static long decodeWeightBytes(LlamaWeights w) {
        long sum = w.output().data().byteSize();
        for (LayerWeights l : w.layers()) {
            sum += l.wq().data().byteSize() + l.wk().data().byteSize() + l.wv().data().byteSize()
                    + l.wo().data().byteSize() + l.wGate().data().byteSize() + l.wUp().data().byteSize()
                    + l.wDown().data().byteSize();
        }
        return sum;
    }

    @Override
    public void close() {
        for (GpuBuffer b : allocations) {
            gpu.free(b);
        }
        allocations.clear();
        kv.close();
        model.close();
    }
}
