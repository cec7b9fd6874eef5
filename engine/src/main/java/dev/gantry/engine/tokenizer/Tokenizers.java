package dev.gantry.engine.tokenizer;

import dev.gantry.engine.gguf.GgufMetadata;

/**
 * Builds the tokenizer a GGUF file asks for, so callers need not know the tokenizer kinds: the choice is
 * {@code tokenizer.ggml.model}.
 */
public final class Tokenizers {

    static final String MODEL = "tokenizer.ggml.model";

    private Tokenizers() {
    }

    /**
     * {@code llama} gives a {@link SentencePieceTokenizer}, {@code gpt2} a {@link ByteLevelBpeTokenizer}.
     *
     * @throws dev.gantry.engine.gguf.GgufFormatException when {@code tokenizer.ggml.model} or another
     *                                                     required key is missing or mistyped
     * @throws IllegalArgumentException                    for any other tokenizer model, or settings the
     *                                                     chosen tokenizer does not support
     */
    public static Tokenizer fromMetadata(GgufMetadata md) {
        String model = md.getString(MODEL);
        return switch (model) {
            case "llama" -> SentencePieceTokenizer.fromMetadata(md);
            case "gpt2" -> ByteLevelBpeTokenizer.fromMetadata(md);
            default -> throw new IllegalArgumentException(MODEL + " = '" + model
                    + "' is not supported; supported: 'llama' (SentencePiece) and 'gpt2' (byte-level BPE)");
        };
    }
}
