package dev.gantry.engine.llama;

import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.gguf.GgufFormatException;
import dev.gantry.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.Optional;

/**
 * All weights of a Llama model, with every shape checked against the configuration when loaded.
 *
 * @param tokenEmbedding  [dim, vocab]: row {@code t} is token {@code t}'s embedding
 * @param outputNorm      final RMSNorm, [dim]
 * @param output          LM head [dim, vocab]; the token embedding itself when the model ties them
 * @param tiedEmbeddings  whether {@code output} is the token embedding
 * @param layers          one entry per block
 * @param ropeFreqFactors Llama 3's per-frequency divisors ({@code rope_freqs.weight}), or null
 */
public record LlamaWeights(Tensor tokenEmbedding, float[] outputNorm, Tensor output, boolean tiedEmbeddings,
                           LayerWeights[] layers, float[] ropeFreqFactors) {

    /** Vocabulary size: rows of the token embedding. */
    public int vocabularySize() {
        return tokenEmbedding.rows();
    }

    /** Bytes of all weights as stored. */
    public long parameterBytes() {
        long sum = tokenEmbedding.data().byteSize() + (tiedEmbeddings ? 0 : output.data().byteSize());
        for (LayerWeights l : layers) {
            sum += l.wq().data().byteSize() + l.wk().data().byteSize() + l.wv().data().byteSize()
                    + l.wo().data().byteSize() + l.wGate().data().byteSize() + l.wUp().data().byteSize()
                    + l.wDown().data().byteSize() + 4L * (l.attnNorm().length + l.ffnNorm().length);
        }
        return sum + 4L * outputNorm.length;
    }

    /** Loads and checks every tensor the configuration calls for. */
    public static LlamaWeights load(GgufFile file, LlamaConfig c) {
        String src = file.path().toString();
        Tensor embedding = file.requireTensor("token_embd.weight");
        int vocab = (int) (embedding.elementCount() / c.dim());
        expect(src, embedding, c.dim(), vocab);
        float[] outputNorm = vector(src, file.requireTensor("output_norm.weight"), c.dim());
        Optional<Tensor> output = file.tensor("output.weight");
        output.ifPresent(t -> expect(src, t, c.dim(), vocab));
        LayerWeights[] layers = new LayerWeights[c.layers()];
        int qDim = c.heads() * c.headDim();
        for (int i = 0; i < c.layers(); i++) {
            String p = "blk." + i + ".";
            layers[i] = new LayerWeights(
                    vector(src, file.requireTensor(p + "attn_norm.weight"), c.dim()),
                    expect(src, file.requireTensor(p + "attn_q.weight"), c.dim(), qDim),
                    expect(src, file.requireTensor(p + "attn_k.weight"), c.dim(), c.kvDim()),
                    expect(src, file.requireTensor(p + "attn_v.weight"), c.dim(), c.kvDim()),
                    expect(src, file.requireTensor(p + "attn_output.weight"), qDim, c.dim()),
                    vector(src, file.requireTensor(p + "ffn_norm.weight"), c.dim()),
                    expect(src, file.requireTensor(p + "ffn_gate.weight"), c.dim(), c.ffnDim()),
                    expect(src, file.requireTensor(p + "ffn_up.weight"), c.dim(), c.ffnDim()),
                    expect(src, file.requireTensor(p + "ffn_down.weight"), c.ffnDim(), c.dim()));
        }
        float[] freqs = file.tensor("rope_freqs.weight").map(t -> vector(src, t, c.ropeDims() / 2)).orElse(null);
        return new LlamaWeights(embedding, outputNorm, output.orElse(embedding), output.isEmpty(), layers, freqs);
    }

    private static Tensor expect(String src, Tensor t, long cols, long rows) {
        long[] s = t.shape();
        if (s.length != 2 || s[0] != cols || s[1] != rows) {
            throw new GgufFormatException(src, "tensor " + t.name() + " has shape " + Arrays.toString(s)
                    + ", expected [" + cols + ", " + rows + "] from the model's metadata");
        }
        return t;
    }

    private static float[] vector(String src, Tensor t, int length) {
        if (t.elementCount() != length) {
            throw new GgufFormatException(src, "tensor " + t.name() + " has " + t.elementCount()
                    + " elements, expected " + length);
        }
        return t.toFloatArray();
    }
}
