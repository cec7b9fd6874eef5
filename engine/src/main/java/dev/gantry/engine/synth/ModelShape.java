package dev.gantry.engine.synth;

import dev.gantry.engine.tensor.GgmlType;

/**
 * The hyper-parameters of a Llama-architecture model, enough to write a complete synthetic one with
 * {@link SyntheticModelWriter}: tests and benchmarks need models of real shapes (TinyLlama, Llama 3) without
 * downloading gigabytes of trained weights.
 *
 * <p>The constructor refuses shapes that could not be written or run: dimensions that do not divide into
 * heads, an odd head dimension (RoPE rotates pairs), a vocabulary too small for
 * {@link SyntheticVocabulary}, or row lengths that are not a whole number of {@code weightType}'s blocks
 * (every matrix row is {@code dim} or {@code ffnDim} long).
 *
 * @param name              written as {@code general.name}
 * @param dim               embedding length
 * @param layers            number of transformer blocks
 * @param heads             attention heads
 * @param kvHeads           key/value heads (grouped-query attention when fewer than {@code heads})
 * @param ffnDim            hidden size of the SwiGLU feed-forward network
 * @param vocabSize         number of tokens
 * @param contextLength     {@code llama.context_length}
 * @param ropeTheta         RoPE frequency base
 * @param rmsEps            RMSNorm epsilon
 * @param tiedEmbeddings    when true there is no {@code output.weight}: the output projection reuses
 *                          {@code token_embd.weight}
 * @param weightType        encoding of the 2-D weight matrices (norm weights are always F32)
 * @param llama3RopeScaling when true a {@code rope_freqs.weight} tensor with Llama 3.1's frequency factors
 *                          is written (see {@link Llama3RopeScaling})
 */
public record ModelShape(String name, int dim, int layers, int heads, int kvHeads, int ffnDim, int vocabSize,
                         int contextLength, float ropeTheta, float rmsEps, boolean tiedEmbeddings,
                         GgmlType weightType, boolean llama3RopeScaling) {

    public ModelShape {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a model shape needs a name");
        }
        if (weightType == null) {
            throw new IllegalArgumentException(name + ": weightType must not be null");
        }
        positive(name, "dim", dim);
        positive(name, "layers", layers);
        positive(name, "heads", heads);
        positive(name, "kvHeads", kvHeads);
        positive(name, "ffnDim", ffnDim);
        positive(name, "contextLength", contextLength);
        if (dim % heads != 0) {
            throw new IllegalArgumentException(name + ": dim " + dim + " is not divisible by heads " + heads);
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(name + ": heads " + heads + " is not a multiple of kvHeads " + kvHeads);
        }
        if ((dim / heads) % 2 != 0) {
            throw new IllegalArgumentException(name + ": the head dimension " + (dim / heads)
                    + " must be even, as RoPE rotates pairs of elements");
        }
        if (vocabSize < SyntheticVocabulary.MIN_SIZE) {
            throw new IllegalArgumentException(name + ": vocabSize " + vocabSize + " is below "
                    + SyntheticVocabulary.MIN_SIZE + ", the smallest synthetic vocabulary (3 special tokens, "
                    + "256 byte tokens and the required single characters)");
        }
        if (!(ropeTheta > 0) || !(rmsEps > 0)) {
            throw new IllegalArgumentException(name + ": ropeTheta and rmsEps must be positive");
        }
        int block = weightType.blockSize();
        if (dim % block != 0 || ffnDim % block != 0) {
            throw new IllegalArgumentException(name + ": " + weightType + " stores rows in blocks of " + block
                    + " elements, but matrix rows here are dim = " + dim + " and ffnDim = " + ffnDim
                    + " long; both must be multiples of " + block + " (F32, F16 and BF16 take any length)");
        }
    }

    private static void positive(String name, String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + ": " + what + " must be positive, is " + v);
        }
    }

    /** Elements per attention head. */
    public int headDim() {
        return dim / heads;
    }

    /** Width of the key and value projections: {@code kvHeads * headDim}. */
    public int kvDim() {
        return kvHeads * headDim();
    }

    /** Number of weights, norm weights and rope factors included. */
    public long parameterCount() {
        long perLayer = 2L * dim + 2L * dim * dim + 2L * dim * kvDim() + 3L * dim * ffnDim;
        long embeddings = (long) dim * vocabSize * (tiedEmbeddings ? 1 : 2);
        return embeddings + dim + layers * perLayer + (llama3RopeScaling ? headDim() / 2 : 0);
    }

    public ModelShape withName(String newName) {
        return new ModelShape(newName, dim, layers, heads, kvHeads, ffnDim, vocabSize, contextLength, ropeTheta,
                rmsEps, tiedEmbeddings, weightType, llama3RopeScaling);
    }

    public ModelShape withWeightType(GgmlType type) {
        return new ModelShape(name, dim, layers, heads, kvHeads, ffnDim, vocabSize, contextLength, ropeTheta,
                rmsEps, tiedEmbeddings, type, llama3RopeScaling);
    }

    public ModelShape withTiedEmbeddings(boolean tied) {
        return new ModelShape(name, dim, layers, heads, kvHeads, ffnDim, vocabSize, contextLength, ropeTheta,
                rmsEps, tied, weightType, llama3RopeScaling);
    }

    public ModelShape withLlama3RopeScaling(boolean scaling) {
        return new ModelShape(name, dim, layers, heads, kvHeads, ffnDim, vocabSize, contextLength, ropeTheta,
                rmsEps, tiedEmbeddings, weightType, scaling);
    }

    public ModelShape withLayers(int newLayers) {
        return new ModelShape(name, dim, newLayers, heads, kvHeads, ffnDim, vocabSize, contextLength, ropeTheta,
                rmsEps, tiedEmbeddings, weightType, llama3RopeScaling);
    }

    public ModelShape withVocabSize(int newVocabSize) {
        return new ModelShape(name, dim, layers, heads, kvHeads, ffnDim, newVocabSize, contextLength, ropeTheta,
                rmsEps, tiedEmbeddings, weightType, llama3RopeScaling);
    }

    public ModelShape withContextLength(int newContextLength) {
        return new ModelShape(name, dim, layers, heads, kvHeads, ffnDim, vocabSize, newContextLength, ropeTheta,
                rmsEps, tiedEmbeddings, weightType, llama3RopeScaling);
    }
}
