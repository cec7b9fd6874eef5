package dev.gantry.engine.llama;

import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.tokenizer.Tokenizer;
import dev.gantry.engine.tokenizer.Tokenizers;
import dev.gantry.spi.ModelInfo;

import java.nio.file.Path;

/**
 * A Llama-family model opened from a GGUF file: configuration, weights (views into the mapped file) and
 * tokenizer. Closing it unmaps the file; nothing built from it may be used afterwards.
 */
public final class LlamaModel implements AutoCloseable {

    private final GgufFile file;
    private final LlamaConfig config;
    private final LlamaWeights weights;
    private final Tokenizer tokenizer;
    private final String name;

    private LlamaModel(GgufFile file, String name) {
        this.file = file;
        this.name = name;
        String src = file.path().toString();
        this.config = LlamaConfig.from(file.metadata(), src);
        this.weights = LlamaWeights.load(file, config);
        this.tokenizer = Tokenizers.fromMetadata(file.metadata());
        if (tokenizer.vocabularySize() != weights.vocabularySize()) {
            throw new dev.gantry.engine.gguf.GgufFormatException(src, "the tokenizer has "
                    + tokenizer.vocabularySize() + " tokens but token_embd.weight has " + weights.vocabularySize()
                    + " rows");
        }
    }

    /** Opens a model; its name is the file's base name without {@code .gguf}. */
    public static LlamaModel open(Path path) {
        String base = path.getFileName().toString();
        return open(path, base.endsWith(".gguf") ? base.substring(0, base.length() - 5) : base);
    }

    /**
     * Opens a model under a given name.
     *
     * @throws dev.gantry.engine.gguf.GgufFormatException naming the file and the problem
     */
    public static LlamaModel open(Path path, String name) {
        GgufFile file = GgufFile.open(path);
        try {
            return new LlamaModel(file, name);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public LlamaConfig config() {
        return config;
    }

    public LlamaWeights weights() {
        return weights;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Path path() {
        return file.path();
    }

    /** The model as plugins see it. */
    public ModelInfo info() {
        return new ModelInfo(name, config.architecture(), config.layers(), config.dim(), config.heads(),
                config.kvHeads(), config.headDim(), config.ffnDim(), weights.vocabularySize(), config.contextLength(),
                weights.parameterBytes());
    }

    @Override
    public void close() {
        file.close();
    }
}
