package dev.gantry.engine.tokenizer;

import dev.gantry.engine.gguf.GgufFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real vocabulary of {@code ../shared/models/stories260K.gguf}, against the ids llama.cpp gives. */
class Stories260KTokenizerTest {

    private static Tokenizer tokenizer;

    @BeforeAll
    static void open() {
        Path model = Path.of(System.getProperty("gantry.shared.dir", "../shared"), "models", "stories260K.gguf");
        assumeTrue(Files.isRegularFile(model), "skipped: " + model + " is absent");
        try (GgufFile file = GgufFile.open(model)) {
            tokenizer = Tokenizers.fromMetadata(file.metadata());
        }
    }

    @Test
    void isASentencePieceVocabularyWithLlamaDefaults() {
        assertInstanceOf(SentencePieceTokenizer.class, tokenizer);
        assertEquals(512, tokenizer.vocabularySize());
        assertEquals(1, tokenizer.bosId());
        assertEquals(2, tokenizer.eosId());
        assertTrue(tokenizer.addsBos());
        assertFalse(tokenizer.addsEos());
        assertEquals("<0x0A>", tokenizer.piece(13));
        assertArrayEquals(new int[] {2}, tokenizer.endOfGenerationIds());
    }

    @Test
    void encodesThePromptsOfTheOracle() {
        assertArrayEquals(new int[] {1, 403, 407, 261, 378}, tokenizer.encodeWithSpecials("Once upon a time"));
        assertArrayEquals(new int[] {1}, tokenizer.encodeWithSpecials(""));
    }

    /** Ids llama.cpp's {@code llama_tokenize} gave (with specials) for this file; several need byte fallback. */
    @Test
    void matchesTheIdsLlamaCppGives() {
        List<String> texts = List.of("Lily's dog ran 123 miles!\n\n  \"Wow,\" said Tom.", "café 🐶 naïve — 日本",
                "<s>Hello</s> <unk>", "\t\ttabs  and   spaces ", "a\r\nb");
        int[][] expected = {
                {1, 317, 439, 419, 400, 428, 352, 303, 410, 475, 479, 472, 284, 290, 406, 443, 13, 13, 410, 313, 448,
                        327, 432, 436, 336, 274, 287, 426},
                {1, 280, 412, 431, 485, 410, 243, 162, 147, 185, 297, 412, 198, 178, 360, 410, 481, 410, 233, 154,
                        168, 233, 159, 175},
                {1, 410, 504, 419, 505, 440, 411, 306, 414, 504, 492, 419, 505, 410, 504, 379, 433, 505},
                {1, 410, 12, 12, 413, 412, 430, 419, 410, 269, 410, 410, 262, 427, 412, 331, 419, 410},
                {1, 261, 16, 13, 430}};
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(expected[i], tokenizer.encodeWithSpecials(texts.get(i)), texts.get(i));
        }
    }

    @Test
    void decodesPiecesExactly() {
        assertEquals(" Once upon a time", tokenizer.decode(new int[] {403, 407, 261, 378}));
        assertEquals(" Once upon a time", tokenizer.decode(new int[] {1, 403, 407, 261, 378, 2}));
        assertEquals("\n", tokenizer.decode(new int[] {13}));
    }

    @Test
    void roundTripsSentences() {
        for (String text : List.of(
                "Lily and Tom went to the park. They saw a big dog!",
                "\"Can I play?\" asked the little girl.\nHer mom said yes.",
                "Numbers 123, symbols #@% and café 🐶 are bytes.",
                "  two leading spaces and a trailing one ")) {
            int[] ids = tokenizer.encodeWithSpecials(text);
            assertEquals(1, ids[0]);
            assertEquals(" " + text, tokenizer.decode(ids), text);
        }
    }
}
