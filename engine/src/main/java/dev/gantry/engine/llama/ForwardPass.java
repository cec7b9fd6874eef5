package dev.gantry.engine.llama;

import dev.gantry.engine.compute.Device;
import dev.gantry.engine.kv.PagedKvCache;
import dev.gantry.engine.kv.PagedKvView;
import dev.gantry.spi.attention.AttentionBackend;
import dev.gantry.spi.attention.LayerInfo;

import java.util.function.IntConsumer;

/**
 * The Llama forward pass over one step's {@link ForwardBatch} — every running sequence's tokens together —
 * following the model's equations:
 *
 * <pre>
 *   x = embed(tokens)
 *   for each block:  x += Wo · attention(RoPE(Wq·norm(x)), RoPE(Wk·norm(x)), Wv·norm(x))
 *                    x += Wdown · (silu(Wgate·norm(x)) ⊙ Wup·norm(x))
 *   logits = Wout · norm(x)        (only for the rows that need them)
 * </pre>
 *
 * The matrix products run once for all rows of the batch, so each weight is read once per step however many
 * sequences run. Keys and values go through the KV codec into each sequence's blocks, and attention is
 * computed by the configured {@link AttentionBackend} per sequence, the sequences of a step concurrently on the
 * device's threads (the attention SPI allows concurrent calls for different sequences); with fewer sequences
 * than threads, a backend that {@linkplain AttentionBackend#splitsByKvHead() accepts it} gets each sequence's
 * call split by KV head, so one long decode reads its cache on every thread. Buffers are allocated once for the step
 * limits; a forward allocates nothing beyond them.
 *
 * <p>Not thread-safe: one forward at a time (the device parallelises inside each operation).
 */
public final class ForwardPass implements LlamaForward {

    private final LlamaConfig c;
    private final LlamaWeights w;
    private final Device device;
    private final AttentionBackend attention;
    private final RopeTable rope;
    private final LayerInfo[] layerInfo;
    private final PagedKvView[] views;
    private final LayerAttentionCall[] calls;
    private final MapStepState[] stepStates;
    private final int maxRows;
    private final int vocab;

    // Activations, [row][width] row-major, sized for maxRows rows.
    private final float[] x;
    private final float[] xb;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] attnOut;
    private final float[] gate;
    private final float[] up;
    private final float[] hiddenPreNorm;
    private final float[] hiddenPostNorm;
    // RoPE cosines and sines per row, computed once per forward and shared by every layer.
    private final float[][] ropeCos;
    private final float[][] ropeSin;
    /** KV-head parts one sequence's attention splits into when there are fewer sequences than threads. */
    private final int headParts;
    private final IntConsumer attendPart;
    /** Parts per sequence in the attention now running ({@code attendPart} reads it, so it needs no capture). */
    private int stepParts;

    /**
     * @param maxRows     the most tokens one step processes
     * @param maxSegments the most sequences one step runs
     */
    public ForwardPass(LlamaModel model, Device device, AttentionBackend attention, PagedKvCache cache, int maxRows,
                       int maxSegments) {
        this.c = model.config();
        this.w = model.weights();
        this.device = device;
        this.attention = attention;
        this.maxRows = maxRows;
        this.vocab = w.vocabularySize();
        this.rope = new RopeTable(c.ropeDims(), c.ropeTheta(), w.ropeFreqFactors());
        this.layerInfo = new LayerInfo[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            layerInfo[l] = new LayerInfo(l, c.layers(), c.heads(), c.kvHeads(), c.headDim());
        }
        this.headParts = attention.splitsByKvHead() ? Math.max(1, Math.min(c.kvHeads(), device.threads())) : 1;
        // Call (and view) s × headParts + p is part p of segment s; part 0 alone when the step is not split.
        this.views = new PagedKvView[maxSegments * headParts];
        this.calls = new LayerAttentionCall[maxSegments * headParts];
        for (int i = 0; i < calls.length; i++) {
            views[i] = new PagedKvView(cache);
            calls[i] = new LayerAttentionCall();
        }
        this.stepStates = new MapStepState[maxSegments];
        for (int s = 0; s < maxSegments; s++) {
            stepStates[s] = new MapStepState();
        }
        int qDim = c.heads() * c.headDim();
        x = new float[maxRows * c.dim()];
        xb = new float[maxRows * Math.max(c.dim(), qDim)];
        q = new float[maxRows * qDim];
        k = new float[maxRows * c.kvDim()];
        v = new float[maxRows * c.kvDim()];
        attnOut = new float[maxRows * qDim];
        gate = new float[maxRows * c.ffnDim()];
        up = new float[maxRows * c.ffnDim()];
        hiddenPreNorm = new float[maxRows * c.dim()];
        hiddenPostNorm = new float[maxRows * c.dim()];
        ropeCos = new float[maxRows][rope.pairs()];
        ropeSin = new float[maxRows][rope.pairs()];
        attendPart = i -> attention.attend(calls[i / stepParts * headParts + i % stepParts]);
    }

    @Override
    public ForwardBatch newBatch() {
        return new ForwardBatch(maxRows, views.length);
    }

    @Override
    public int vocabularySize() {
        return vocab;
    }

    @Override
    public void forward(ForwardBatch b, float[] logits) {
        int n = b.rows;
        if (n == 0) {
            return;
        }
        int dim = c.dim();
        int kvDim = c.kvDim();
        int qDim = c.heads() * c.headDim();
        for (int r = 0; r < n; r++) {
            int token = b.tokens[r];
            if (token < 0 || token >= vocab) {
                throw new IllegalArgumentException("token id " + token + " is outside the vocabulary of " + vocab);
            }
            w.tokenEmbedding().dequantizeRow(token, x, r * dim);
            rope.angles(b.positions[r], ropeCos[r], ropeSin[r]);
        }
        for (int s = 0; s < b.segments; s++) {
            stepStates[s].clear();
        }

        for (int l = 0; l < c.layers(); l++) {
            LayerWeights lw = w.layers()[l];
            device.rmsNorm(x, n, dim, lw.attnNorm(), c.rmsEps(), xb);
            device.matmul(lw.wq(), xb, n, q);
            device.matmulSameActivations(lw.wk(), xb, n, k);
            device.matmulSameActivations(lw.wv(), xb, n, v);
            int pairs = rope.pairs();
            for (int r = 0; r < n; r++) {
                device.rope(q, r * qDim, c.heads(), c.headDim(), pairs, ropeCos[r], ropeSin[r]);
                device.rope(k, r * kvDim, c.kvHeads(), c.headDim(), pairs, ropeCos[r], ropeSin[r]);
            }
            // Fewer sequences than threads (a single long decode, say): each sequence's attention is split by
            // KV head, when the backend allows it, so that every thread reads part of the cache.
            int parts = b.segments < device.threads() ? headParts : 1;
            for (int s = 0; s < b.segments; s++) {
                PagedKvView view = views[s * headParts].bind(b.blocks[s], l);
                int start = b.segmentStart[s];
                for (int i = 0; i < b.segmentRows[s]; i++) {
                    int r = start + i;
                    int slot = b.firstSlot[s] + i;
                    view.write(slot, k, r * kvDim, v, r * kvDim, b.positions[r]);
                    attention.onKvAppend(layerInfo[l], b.sequences[s], slot, b.positions[r], k, v, r * kvDim);
                }
                for (int p = 0; p < parts; p++) {
                    bindCall(calls[s * headParts + p], l, s, b, p == 0 ? view : views[s * headParts + p].bind(
                            b.blocks[s], l), p, parts);
                }
            }
            int tasks = b.segments * parts;
            if (tasks == 1) {
                attention.attend(calls[0]);
            } else {
                stepParts = parts;
                device.parallel(tasks, attendPart);
            }
            device.matmul(lw.wo(), attnOut, n, xb);
            add(x, xb, n * dim);

            device.rmsNorm(x, n, dim, lw.ffnNorm(), c.rmsEps(), xb);
            device.matmul(lw.wGate(), xb, n, gate);
            device.matmulSameActivations(lw.wUp(), xb, n, up);
            device.swiglu(gate, up, n, c.ffnDim());
            device.matmul(lw.wDown(), gate, n, xb);
            add(x, xb, n * dim);
        }

        int m = b.logitCount;
        for (int j = 0; j < m; j++) {
            System.arraycopy(x, b.logitRows[j] * dim, hiddenPreNorm, j * dim, dim);
        }
        if (m > 0) {
            device.rmsNorm(hiddenPreNorm, m, dim, w.outputNorm(), c.rmsEps(), hiddenPostNorm);
            device.matmul(w.output(), hiddenPostNorm, m, logits);
        }
    }

    @Override
    public void hidden(int j, boolean postNorm, float[] dst, int dstOffset) {
        System.arraycopy(postNorm ? hiddenPostNorm : hiddenPreNorm, j * c.dim(), dst, dstOffset, c.dim());
    }

    /** Points {@code call} at segment {@code s}'s queries in layer {@code l}, KV heads of part {@code p}. */
    private void bindCall(LayerAttentionCall call, int l, int s, ForwardBatch b, PagedKvView view, int p, int parts) {
        int qDim = c.heads() * c.headDim();
        int start = b.segmentStart[s];
        call.layer = layerInfo[l];
        call.sequence = b.sequences[s];
        call.phase = b.phases[s];
        call.queryCount = b.segmentRows[s];
        call.positions = b.positions;
        call.positionsOffset = start;
        call.queries = q;
        call.queriesOffset = start * qDim;
        call.output = attnOut;
        call.outputOffset = start * qDim;
        call.kv = view;
        call.mask = b.masks[s];
        call.scale = layerInfo[l].scale();
        call.stepState = stepStates[s];
        call.kvHeadStart = c.kvHeads() * p / parts;
        call.kvHeadEnd = c.kvHeads() * (p + 1) / parts;
    }

    private static void add(float[] acc, float[] delta, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] += delta[i];
        }
    }

    /** Tells the attention backend, layer by layer. */
    @Override
    public void prefillDone(dev.gantry.spi.SequenceId sequence) {
        for (LayerInfo layer : layerInfo) {
            attention.onPrefillDone(layer, sequence);
        }
    }

    @Override
    public String describe() {
        return "per operation on " + device.name();
    }
}
