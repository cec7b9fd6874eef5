package dev.gantry.engine.llama;

import dev.gantry.engine.compute.Device;
import dev.gantry.engine.kv.KvBlockPool;
import dev.gantry.engine.kv.LayerKvView;
import dev.gantry.engine.kv.SequenceKv;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.AttentionBackend;
import dev.gantry.spi.attention.AttentionMask;
import dev.gantry.spi.attention.AttentionPhase;
import dev.gantry.spi.attention.LayerInfo;

/**
 * The Llama forward pass over a chunk of one sequence's tokens, following the model's equations:
 *
 * <pre>
 *   x = embed(tokens)
 *   for each block:  x += Wo · attention(RoPE(Wq·norm(x)), RoPE(Wk·norm(x)), Wv·norm(x))
 *                    x += Wdown · (silu(Wgate·norm(x)) ⊙ Wup·norm(x))
 *   logits = Wout · norm(x_last)
 * </pre>
 *
 * Keys and values are stored through the KV codec into the sequence's blocks, and attention is computed by the
 * configured {@link AttentionBackend} over them. Buffers are allocated once for the largest chunk; a forward
 * allocates nothing beyond them.
 *
 * <p>Not thread-safe: one forward at a time (the device parallelises inside each operation).
 */
public final class ForwardPass {

    private final LlamaConfig c;
    private final LlamaWeights w;
    private final Device device;
    private final AttentionBackend attention;
    private final RopeTable rope;
    private final LayerInfo[] layerInfo;
    private final LayerKvView kvView;
    private final LayerAttentionCall call = new LayerAttentionCall();
    private final MapStepState stepState = new MapStepState();
    private final int maxChunk;
    private final int vocab;

    // Activations, [token][width] row-major, sized for maxChunk tokens.
    private final float[] x;
    private final float[] xb;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] attnOut;
    private final float[] gate;
    private final float[] up;
    private final float[] lastNormed;
    private final float[] lastHidden;
    private final int[] slotPositions;

    /**
     * @param maxChunk the most tokens one {@link #forward} call may process
     */
    public ForwardPass(LlamaModel model, Device device, AttentionBackend attention, KvBlockPool pool, int maxChunk) {
        this.c = model.config();
        this.w = model.weights();
        this.device = device;
        this.attention = attention;
        this.maxChunk = maxChunk;
        this.vocab = w.vocabularySize();
        this.rope = new RopeTable(c.ropeDims(), c.ropeTheta(), w.ropeFreqFactors());
        this.layerInfo = new LayerInfo[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            layerInfo[l] = new LayerInfo(l, c.layers(), c.heads(), c.kvHeads(), c.headDim());
        }
        this.kvView = new LayerKvView(pool);
        int qDim = c.heads() * c.headDim();
        x = new float[maxChunk * c.dim()];
        xb = new float[maxChunk * Math.max(c.dim(), qDim)];
        q = new float[maxChunk * qDim];
        k = new float[maxChunk * c.kvDim()];
        v = new float[maxChunk * c.kvDim()];
        attnOut = new float[maxChunk * qDim];
        gate = new float[maxChunk * c.ffnDim()];
        up = new float[maxChunk * c.ffnDim()];
        lastNormed = new float[c.dim()];
        lastHidden = new float[c.dim()];
        slotPositions = new int[maxChunk];
    }

    /** The most tokens one call may process. */
    public int maxChunk() {
        return maxChunk;
    }

    /**
     * Runs {@code n} tokens of a sequence at positions {@code kv.length() ..}, appending their keys and values
     * to {@code kv}, and writes the logits of the last token into {@code logits} when it is not null.
     *
     * @param kv room for {@code n} more slots must already be {@link SequenceKv#reserve reserved}
     */
    public void forward(SequenceId sequence, SequenceKv kv, int[] tokens, int offset, int n, AttentionPhase phase,
                        float[] logits) {
        if (n < 1 || n > maxChunk) {
            throw new IllegalArgumentException("a forward takes 1 to " + maxChunk + " tokens, got " + n);
        }
        int dim = c.dim();
        int kvDim = c.kvDim();
        int qDim = c.heads() * c.headDim();
        int firstSlot = kv.length();
        for (int t = 0; t < n; t++) {
            int token = tokens[offset + t];
            if (token < 0 || token >= vocab) {
                throw new IllegalArgumentException("token id " + token + " is outside the vocabulary of " + vocab);
            }
            w.tokenEmbedding().dequantizeRow(token, x, t * dim);
            slotPositions[t] = firstSlot + t;
            kv.appendSlot(firstSlot + t);
        }
        stepState.clear();
        AttentionMask causal = new AttentionMask.Causal(firstSlot);

        for (int l = 0; l < c.layers(); l++) {
            LayerWeights lw = w.layers()[l];
            device.rmsNorm(x, n, dim, lw.attnNorm(), c.rmsEps(), xb);
            device.matmul(lw.wq(), xb, n, q);
            device.matmul(lw.wk(), xb, n, k);
            device.matmul(lw.wv(), xb, n, v);
            LayerKvView view = kvView.bind(kv, l);
            for (int t = 0; t < n; t++) {
                int pos = slotPositions[t];
                rope.apply(q, t * qDim, c.heads(), c.headDim(), pos);
                rope.apply(k, t * kvDim, c.kvHeads(), c.headDim(), pos);
                view.write(firstSlot + t, k, t * kvDim, v, t * kvDim, slotPositions, t);
                attention.onKvAppend(layerInfo[l], sequence, firstSlot + t, pos, k, v, t * kvDim);
            }
            call.layer = layerInfo[l];
            call.sequence = sequence;
            call.phase = phase;
            call.queryCount = n;
            call.positions = slotPositions;
            call.positionsOffset = 0;
            call.queries = q;
            call.output = attnOut;
            call.kv = view;
            call.mask = causal;
            call.scale = layerInfo[l].scale();
            call.stepState = stepState;
            attention.attend(call);
            device.matmul(lw.wo(), attnOut, n, xb);
            add(x, xb, n * dim);

            device.rmsNorm(x, n, dim, lw.ffnNorm(), c.rmsEps(), xb);
            device.matmul(lw.wGate(), xb, n, gate);
            device.matmul(lw.wUp(), xb, n, up);
            device.swiglu(gate, up, n, c.ffnDim());
            device.matmul(lw.wDown(), gate, n, xb);
            add(x, xb, n * dim);
        }

        System.arraycopy(x, (n - 1) * dim, lastHidden, 0, dim);
        device.rmsNorm(lastHidden, 1, dim, w.outputNorm(), c.rmsEps(), lastNormed);
        if (logits != null) {
            device.matmul(w.output(), lastNormed, 1, logits);
        }
    }

    /** Tells the attention backend that a sequence's prompt is fully prefilled, layer by layer. */
    public void prefillDone(SequenceId sequence) {
        for (LayerInfo layer : layerInfo) {
            attention.onPrefillDone(layer, sequence);
        }
    }

    /** The residual stream of the last token of the last forward, before the final norm. */
    public float[] lastHiddenPreNorm() {
        return lastHidden;
    }

    /** The same after the final norm: what the LM head multiplies. */
    public float[] lastHiddenPostNorm() {
        return lastNormed;
    }

    private static void add(float[] acc, float[] delta, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] += delta[i];
        }
    }
}
