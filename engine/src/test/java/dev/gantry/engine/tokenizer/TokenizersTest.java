package dev.gantry.engine.tokenizer;

import dev.gantry.engine.gguf.GgufFormatException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizersTest {

    @Test
    void anUnsupportedModelIsRefusedNamingTheKeyAndTheChoices() {
        var md = new TokenizerMetadata()
                .string("tokenizer.ggml.model", "bert")
                .strings("tokenizer.ggml.tokens", List.of("a"))
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizers.fromMetadata(md));
        assertTrue(e.getMessage().contains("tokenizer.ggml.model"), e.getMessage());
        assertTrue(e.getMessage().contains("'bert'"), e.getMessage());
        assertTrue(e.getMessage().contains("llama") && e.getMessage().contains("gpt2"), e.getMessage());
    }

    @Test
    void aMissingModelKeyIsAFormatError() {
        var md = new TokenizerMetadata().strings("tokenizer.ggml.tokens", List.of("a")).build();
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> Tokenizers.fromMetadata(md));
        assertTrue(e.getMessage().contains("tokenizer.ggml.model"), e.getMessage());
    }

    @Test
    void byteLevelBpeNeedsMerges() {
        var md = new TokenizerMetadata()
                .string("tokenizer.ggml.model", "gpt2")
                .strings("tokenizer.ggml.tokens", List.of("a", "b"))
                .uint32("tokenizer.ggml.bos_token_id", 0)
                .build();
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> Tokenizers.fromMetadata(md));
        assertTrue(e.getMessage().contains("tokenizer.ggml.merges"), e.getMessage());
    }

    @Test
    void outOfRangeSpecialIdsAreIgnoredAsLlamaCppDoes() {
        var md = new TokenizerMetadata()
                .string("tokenizer.ggml.model", "llama")
                .strings("tokenizer.ggml.tokens", List.of("<unk>", "<s>", "</s>", "a"))
                .uint32("tokenizer.ggml.seperator_token_id", 4294967295L)
                .uint32("tokenizer.ggml.eos_token_id", 99)
                .build();
        Tokenizer t = Tokenizers.fromMetadata(md);
        assertTrue(t.eosId() == 2, "the default EOS stays");
    }
}
