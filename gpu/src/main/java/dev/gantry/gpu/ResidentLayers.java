package dev.gantry.gpu;

import dev.gantry.engine.llama.LayerWeights;
import dev.gantry.engine.llama.LlamaConfig;
import dev.gantry.engine.llama.LlamaModel;
import dev.gantry.engine.llama.LlamaWeights;
import dev.gantry.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A Llama model resident on a CUDA device, and the launches of one forward over it: weights uploaded once, RoPE
 * tables, activation buffers for up to {@code maxRows} rows. {@link #layers} runs the embedding and every block
 * for rows whose tokens, positions and KV slots are already in device buffers; {@link #head} the final norm and
 * LM head for chosen rows. Attention is left to the caller, layer by layer, since it alone depends on how rows
 * group into sequences and where their KV lives. Both {@link CudaForward} and {@link CudaBatchForward} run on it.
 *
 * <pre>
 *   x = embed(tokens)
 *   for each block:  x += Wo · attention(RoPE(Wq·norm(x)), RoPE(Wk·norm(x)), Wv·norm(x))
 *                    x += Wdown · (silu(Wgate·norm(x)) ⊙ Wup·norm(x))
 *   logits = Wout · norm(x)        (for the rows that need them)
 * </pre>
 *
 * <p>Not thread-safe: one forward at a time.
 */
final class ResidentLayers implements AutoCloseable {

    /** The attention launches of one layer: queries in {@link #q()}, output into {@link #attn()}. */
    interface Attention {
        void launch(int layer);
    }

    private record Layer(GpuBuffer attnNorm, Tensor wqT, GpuBuffer wq, Tensor wkT, GpuBuffer wk, Tensor wvT,
                         GpuBuffer wv, Tensor woT, GpuBuffer wo, GpuBuffer ffnNorm, Tensor gateT, GpuBuffer wGate,
                         Tensor upT, GpuBuffer wUp, Tensor downT, GpuBuffer wDown) {
    }

    private final LlamaConfig c;
    private final KernelLauncher gpu;
    private final boolean tensorCores;
    private final int vocab;
    private final List<GpuBuffer> allocations = new ArrayList<>();

    private final Tensor embeddingTensor;
    private final GpuBuffer embedding;
    private final GpuBuffer outputNorm;
    private final Tensor outputTensor;
    private final GpuBuffer output;
    private final Layer[] layers;
    private final GpuBuffer ropeCos;
    private final GpuBuffer ropeSin;
    private final int ropePairs;

    // Activations, rows × width, sized for maxRows rows.
    private final GpuBuffer x;
    private final GpuBuffer xb;
    private final GpuBuffer q;
    private final GpuBuffer k;
    private final GpuBuffer v;
    private final GpuBuffer attn;
    private final GpuBuffer gate;
    private final GpuBuffer up;
    // The head's rows; they grow when a step asks for more.
    private int headRows;
    private GpuBuffer hidden;
    private GpuBuffer hiddenNorm;
    private GpuBuffer logits;

    /**
     * Uploads the model.
     *
     * @param maxRows     the most rows one forward runs
     * @param headRows    rows the head's buffers hold at first
     * @param maxContext  positions the RoPE tables cover
     * @param tensorCores whether products of more than a few rows use the tensor-core kernel (a GPU only)
     * @throws IllegalArgumentException when a weight type has no kernel or the heads are too large for them
     */
    ResidentLayers(LlamaModel model, KernelLauncher gpu, int maxRows, int headRows, int maxContext,
                   boolean tensorCores) {
        this.c = model.config();
        this.gpu = gpu;
        this.tensorCores = tensorCores;
        LlamaWeights w = model.weights();
        this.vocab = w.vocabularySize();
        if (c.headDim() > Kernels.ATTN_THREADS) {
            throw new IllegalArgumentException("head size " + c.headDim() + " is above the kernels' "
                    + Kernels.ATTN_THREADS);
        }
        try {
            embeddingTensor = w.tokenEmbedding();
            embedding = weight(embeddingTensor);
            outputNorm = keep(gpu.upload(w.outputNorm()));
            outputTensor = w.output();
            output = w.tiedEmbeddings() ? embedding : weight(outputTensor);
            layers = new Layer[c.layers()];
            for (int l = 0; l < c.layers(); l++) {
                LayerWeights lw = w.layers()[l];
                layers[l] = new Layer(keep(gpu.upload(lw.attnNorm())), lw.wq(), weight(lw.wq()), lw.wk(),
                        weight(lw.wk()), lw.wv(), weight(lw.wv()), lw.wo(), weight(lw.wo()),
                        keep(gpu.upload(lw.ffnNorm())), lw.wGate(), weight(lw.wGate()), lw.wUp(), weight(lw.wUp()),
                        lw.wDown(), weight(lw.wDown()));
            }
            RopeTables rope = RopeTables.of(maxContext, c.ropeDims(), c.ropeTheta(), w.ropeFreqFactors());
            ropeCos = keep(gpu.upload(rope.cos()));
            ropeSin = keep(gpu.upload(rope.sin()));
            ropePairs = rope.pairs();

            int qDim = c.heads() * c.headDim();
            x = floats((long) maxRows * c.dim());
            xb = floats((long) maxRows * Math.max(c.dim(), qDim));
            q = floats((long) maxRows * qDim);
            k = floats((long) maxRows * c.kvDim());
            v = floats((long) maxRows * c.kvDim());
            attn = floats((long) maxRows * qDim);
            gate = floats((long) maxRows * c.ffnDim());
            up = floats((long) maxRows * c.ffnDim());
            ensureHeadRows(headRows);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private GpuBuffer keep(GpuBuffer b) {
        allocations.add(b);
        return b;
    }

    private GpuBuffer weight(Tensor t) {
        Kernels.format(t.type());  // fails early, naming the type, when no kernel reads it
        return keep(gpu.upload(t.data()));
    }

    private GpuBuffer floats(long count) {
        return keep(gpu.allocate(4 * Math.max(1, count)));
    }

    /** Grows the head's buffers to hold {@code rows} rows. */
    void ensureHeadRows(int rows) {
        if (rows <= headRows) {
            return;
        }
        for (GpuBuffer b : new GpuBuffer[] {hidden, hiddenNorm, logits}) {
            if (b != null) {
                allocations.remove(b);
                gpu.free(b);
            }
        }
        headRows = rows;
        hidden = floats((long) rows * c.dim());
        hiddenNorm = floats((long) rows * c.dim());
        logits = floats((long) rows * vocab);
    }

    LlamaConfig config() {
        return c;
    }

    int vocabularySize() {
        return vocab;
    }

    /** The attention scale, {@code 1/√headDim}. */
    float scale() {
        return (float) (1.0 / Math.sqrt(c.headDim()));
    }

    /** Queries of the current layer, rows of {@code heads·headDim}. */
    GpuBuffer q() {
        return q;
    }

    /** Where attention writes its output, rows of {@code heads·headDim}. */
    GpuBuffer attn() {
        return attn;
    }

    /** Logits of the last {@link #head}, rows of {@code vocab}. */
    GpuBuffer logits() {
        return logits;
    }

    /** Hidden states of the last head's rows before the final norm, rows of {@code dim}. */
    GpuBuffer hidden() {
        return hidden;
    }

    /** The same after the final norm. */
    GpuBuffer hiddenNorm() {
        return hiddenNorm;
    }

    /**
     * Embedding and every block for {@code n} rows: {@code tokens}, {@code positions} and {@code slots} (physical
     * KV slots in {@code kv}) hold {@code n} ints each; keys and values are written before {@code attention}
     * runs for the layer.
     */
    void layers(int n, GpuBuffer tokens, GpuBuffer positions, GpuBuffer slots, DeviceKvBlocks kv,
                Attention attention) {
        int dim = c.dim();
        int qDim = c.heads() * c.headDim();
        gpu.launch(Kernels.embed(embeddingTensor.type(), embedding, dim, tokens, n, x));
        for (int l = 0; l < layers.length; l++) {
            Layer w = layers[l];
            gpu.launch(Kernels.rmsNorm(x, w.attnNorm(), c.rmsEps(), dim, n, xb));
            gpu.launch(product(w.wqT(), w.wq(), xb, n, q));
            gpu.launch(product(w.wkT(), w.wk(), xb, n, k));
            gpu.launch(product(w.wvT(), w.wv(), xb, n, v));
            gpu.launch(Kernels.rope(q, qDim, positions, ropeCos, ropeSin, c.heads(), c.headDim(), ropePairs, n));
            gpu.launch(Kernels.rope(k, c.kvDim(), positions, ropeCos, ropeSin, c.kvHeads(), c.headDim(), ropePairs, n));
            gpu.launch(Kernels.kvWrite(k, v, c.kvDim(), slots, n, kv.keys(l), kv.values(l)));
            attention.launch(l);
            gpu.launch(product(w.woT(), w.wo(), attn, n, xb));
            gpu.launch(Kernels.add(x, xb, n * dim));
            gpu.launch(Kernels.rmsNorm(x, w.ffnNorm(), c.rmsEps(), dim, n, xb));
            gpu.launch(product(w.gateT(), w.wGate(), xb, n, gate));
            gpu.launch(product(w.upT(), w.wUp(), xb, n, up));
            gpu.launch(Kernels.swiglu(gate, up, n * c.ffnDim()));
            gpu.launch(product(w.downT(), w.wDown(), gate, n, xb));
            gpu.launch(Kernels.add(x, xb, n * dim));
        }
    }

    /** Final norm and LM head for the {@code m} rows listed in {@code logitRows}: into {@link #logits()}. */
    void head(int m, GpuBuffer logitRows) {
        ensureHeadRows(m);
        gpu.launch(Kernels.gatherRows(x, logitRows, m, c.dim(), hidden));
        gpu.launch(Kernels.rmsNorm(hidden, outputNorm, c.rmsEps(), c.dim(), m, hiddenNorm));
        gpu.launch(product(outputTensor, output, hiddenNorm, m, logits));
    }

    private KernelLaunch product(Tensor t, GpuBuffer w, GpuBuffer in, int n, GpuBuffer out) {
        return Kernels.product(t.type(), w, t.rows(), t.cols(), in, n, out, tensorCores);
    }

    @Override
    public void close() {
        for (GpuBuffer b : allocations) {
            gpu.free(b);
        }
        allocations.clear();
    }
}
