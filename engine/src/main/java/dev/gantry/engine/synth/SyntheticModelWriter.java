package dev.gantry.engine.synth;

import dev.gantry.engine.gguf.GgufWriter;
import dev.gantry.engine.gguf.TensorElements;
import dev.gantry.engine.tensor.GgmlType;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a complete Llama GGUF model with random weights: the metadata keys and tensor names llama.cpp
 * writes for the llama architecture, and a working {@link SyntheticVocabulary SentencePiece vocabulary}.
 *
 * <p>Tests and benchmarks need models of known, realistic shapes that anyone can regenerate
 * bit for bit from a seed. Weights are uniform with standard deviation {@code 1/sqrt(fan_in)} (fan-in
 * being the row length), so every projection keeps activations of order one through all the layers and
 * the logits have a spread of about one: the softmax is neither flat nor one-hot, and greedy decoding
 * produces varied tokens. Norm weights are close to 1. Each tensor's values depend only on the seed and
 * the tensor's name, so the same seed gives the same weights in every {@link GgmlType} (before encoding).
 *
 * <p>Data is generated while it is written, a chunk at a time, so a 1.1B-parameter model needs no more
 * heap than a small one.
 */
public final class SyntheticModelWriter {

    private SyntheticModelWriter() {
    }

    /**
     * Writes the model to {@code out}, replacing any file there.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public static void write(ModelShape shape, long seed, Path out) {
        GgufWriter gguf = new GgufWriter();
        putMetadata(gguf, shape);
        putTokenizer(gguf, SyntheticVocabulary.of(shape.vocabSize()));

        int dim = shape.dim();
        int kvDim = shape.kvDim();
        int ffn = shape.ffnDim();
        if (shape.llama3RopeScaling()) {
            float[] factors = Llama3RopeScaling.factors(shape.headDim(), shape.ropeTheta());
            gguf.addTensor("rope_freqs.weight", GgmlType.F32, new long[]{factors.length}, factors);
        }
        matrix(gguf, shape, seed, "token_embd.weight", dim, shape.vocabSize());
        norm(gguf, seed, "output_norm.weight", dim);
        if (!shape.tiedEmbeddings()) {
            matrix(gguf, shape, seed, "output.weight", dim, shape.vocabSize());
        }
        for (int layer = 0; layer < shape.layers(); layer++) {
            String blk = "blk." + layer + ".";
            norm(gguf, seed, blk + "attn_norm.weight", dim);
            matrix(gguf, shape, seed, blk + "attn_q.weight", dim, dim);
            matrix(gguf, shape, seed, blk + "attn_k.weight", dim, kvDim);
            matrix(gguf, shape, seed, blk + "attn_v.weight", dim, kvDim);
            matrix(gguf, shape, seed, blk + "attn_output.weight", dim, dim);
            norm(gguf, seed, blk + "ffn_norm.weight", dim);
            matrix(gguf, shape, seed, blk + "ffn_gate.weight", dim, ffn);
            matrix(gguf, shape, seed, blk + "ffn_up.weight", dim, ffn);
            matrix(gguf, shape, seed, blk + "ffn_down.weight", ffn, dim);
        }
        gguf.write(out);
    }

    private static void putMetadata(GgufWriter gguf, ModelShape shape) {
        gguf.putString("general.architecture", "llama")
                .putString("general.name", shape.name())
                .putUInt32("general.file_type", fileType(shape.weightType()))
                .putUInt32("general.quantization_version", 2)
                .putUInt32("llama.context_length", shape.contextLength())
                .putUInt32("llama.embedding_length", shape.dim())
                .putUInt32("llama.block_count", shape.layers())
                .putUInt32("llama.feed_forward_length", shape.ffnDim())
                .putUInt32("llama.attention.head_count", shape.heads())
                .putUInt32("llama.attention.head_count_kv", shape.kvHeads())
                .putUInt32("llama.rope.dimension_count", shape.headDim())
                .putFloat32("llama.rope.freq_base", shape.ropeTheta())
                .putFloat32("llama.attention.layer_norm_rms_epsilon", shape.rmsEps())
                .putUInt32("llama.vocab_size", shape.vocabSize());
    }

    private static void putTokenizer(GgufWriter gguf, SyntheticVocabulary vocab) {
        gguf.putString("tokenizer.ggml.model", "llama")
                .putStringArray("tokenizer.ggml.tokens", vocab.tokens())
                .putFloat32Array("tokenizer.ggml.scores", vocab.scores())
                .putInt32Array("tokenizer.ggml.token_type", vocab.tokenTypes())
                .putUInt32("tokenizer.ggml.bos_token_id", SyntheticVocabulary.BOS_ID)
                .putUInt32("tokenizer.ggml.eos_token_id", SyntheticVocabulary.EOS_ID)
                .putUInt32("tokenizer.ggml.unknown_token_id", SyntheticVocabulary.UNKNOWN_ID)
                .putBool("tokenizer.ggml.add_bos_token", true)
                .putBool("tokenizer.ggml.add_eos_token", false);
    }

    /** llama.cpp's {@code general.file_type} (LLAMA_FTYPE_*) for a model whose matrices are all {@code type}. */
    private static int fileType(GgmlType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            case Q4_K -> 14; // Q4_K_S: every matrix Q4_K
            case Q5_K -> 16; // Q5_K_S
            case Q6_K -> 18;
            case BF16 -> 32;
        };
    }

    /** A {@code [in, out]} weight matrix: {@code out} rows of {@code in} elements, in the shape's weight type. */
    private static void matrix(GgufWriter gguf, ModelShape shape, long seed, String name, int in, int out) {
        double bound = Math.sqrt(3.0 / in); // uniform on [-b, b] has standard deviation b / sqrt(3)
        SplittableRandom random = random(seed, name);
        TensorElements values = (first, dst, n) -> {
            for (int i = 0; i < n; i++) {
                dst[i] = (float) random.nextDouble(-bound, bound);
            }
        };
        gguf.addTensor(name, shape.weightType(), new long[]{in, out}, values);
    }

    /** An RMSNorm weight vector, F32 as llama.cpp keeps them, close to 1. */
    private static void norm(GgufWriter gguf, long seed, String name, int dim) {
        SplittableRandom random = random(seed, name);
        float[] values = new float[dim];
        for (int i = 0; i < dim; i++) {
            values[i] = (float) (1.0 + random.nextDouble(-0.1, 0.1));
        }
        gguf.addTensor(name, GgmlType.F32, new long[]{dim}, values);
    }

    /** A generator that depends only on the model seed and the tensor name. */
    private static SplittableRandom random(long seed, String name) {
        return new SplittableRandom(new SplittableRandom(seed ^ (name.hashCode() * 0x9E3779B97F4A7C15L)).nextLong());
    }
}
