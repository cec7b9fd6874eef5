package dev.gantry.engine.llama;

import dev.gantry.engine.gguf.GgufFormatException;
import dev.gantry.engine.gguf.GgufMetadata;

import java.util.Set;

/**
 * The hyper-parameters of a Llama-family model, read from GGUF metadata under the architecture's prefix
 * ({@code llama.embedding_length}, ...), with llama.cpp's defaults where a key is optional.
 *
 * @param architecture  {@code general.architecture}
 * @param dim           residual width
 * @param layers        transformer blocks
 * @param heads         query heads
 * @param kvHeads       key/value heads
 * @param headDim       elements per head
 * @param ffnDim        feed-forward hidden width
 * @param contextLength trained context, in tokens
 * @param rmsEps        RMSNorm epsilon
 * @param ropeTheta     RoPE frequency base
 * @param ropeDims      leading elements of each head that RoPE rotates
 */
public record LlamaConfig(String architecture, int dim, int layers, int heads, int kvHeads, int headDim, int ffnDim,
                          int contextLength, float rmsEps, float ropeTheta, int ropeDims) {

    /** Architectures that share Llama's block: RMSNorm, RoPE, GQA, SwiGLU, no biases. */
    public static final Set<String> SUPPORTED_ARCHITECTURES = Set.of("llama");

    /** Key/value elements per token per layer. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /**
     * Reads the configuration.
     *
     * @throws GgufFormatException naming the key when a required key is missing or a value is inconsistent
     */
    public static LlamaConfig from(GgufMetadata md, String source) {
        String arch = md.optionalString("general.architecture").orElseThrow(() -> new GgufFormatException(source,
                "metadata general.architecture is missing; is this a model file?"));
        if (!SUPPORTED_ARCHITECTURES.contains(arch)) {
            throw new GgufFormatException(source, "architecture '" + arch + "' is not supported (supported: "
                    + String.join(", ", SUPPORTED_ARCHITECTURES) + ")");
        }
        int dim = positive(md, source, arch + ".embedding_length", md.getInt(arch + ".embedding_length"));
        int layers = positive(md, source, arch + ".block_count", md.getInt(arch + ".block_count"));
        int heads = positive(md, source, arch + ".attention.head_count", md.getInt(arch + ".attention.head_count"));
        int kvHeads = positive(md, source, arch + ".attention.head_count_kv",
                md.optionalInt(arch + ".attention.head_count_kv").orElse(heads));
        if (heads % kvHeads != 0) {
            throw new GgufFormatException(source, arch + ".attention.head_count (" + heads
                    + ") is not a multiple of head_count_kv (" + kvHeads + ")");
        }
        int headDim = positive(md, source, arch + ".attention.key_length",
                md.optionalInt(arch + ".attention.key_length").orElse(dim / heads));
        int ffn = positive(md, source, arch + ".feed_forward_length", md.getInt(arch + ".feed_forward_length"));
        int ctx = positive(md, source, arch + ".context_length", md.optionalInt(arch + ".context_length").orElse(2048));
        float eps = md.optionalDouble(arch + ".attention.layer_norm_rms_epsilon").orElse(1e-5).floatValue();
        float theta = md.optionalDouble(arch + ".rope.freq_base").orElse(10000.0).floatValue();
        int ropeDims = md.optionalInt(arch + ".rope.dimension_count").orElse(headDim);
        if (ropeDims <= 0 || ropeDims > headDim || ropeDims % 2 != 0) {
            throw new GgufFormatException(source, arch + ".rope.dimension_count = " + ropeDims
                    + " must be even and between 2 and the head size " + headDim);
        }
        return new LlamaConfig(arch, dim, layers, heads, kvHeads, headDim, ffn, ctx, eps, theta, ropeDims);
    }

    private static int positive(GgufMetadata md, String source, String key, int value) {
        if (value <= 0) {
            throw new GgufFormatException(source, "metadata " + key + " = " + value + " must be positive");
        }
        return value;
    }
}
