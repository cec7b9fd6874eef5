package dev.gantry.engine.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteLevelBpeTokenizerTest {

    private static final List<String> MERGES = List.of(
            "Ġ w", "o r", "l l", "H e", "Ġw or", "He ll", "Hell o", "l d", "Ġwor ld");

    /**
     * Ids 0..255 are the single bytes (in GPT-2's alphabet, in byte order), then each merge's result, then
     * {@code Ġxyz} (reachable by no merge), then the special tokens.
     */
    private static TokenizerMetadata vocabulary(String pre, List<String> merges) {
        List<String> tokens = new ArrayList<>();
        List<TokenType> types = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(ByteLevelAlphabet.encode(new byte[] {(byte) b}));
            types.add(TokenType.NORMAL);
        }
        for (String merge : merges) {
            tokens.add(merge.replace(" ", ""));
            types.add(TokenType.NORMAL);
        }
        tokens.addAll(List.of("Ġxyz", "<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<tool>"));
        types.addAll(List.of(TokenType.NORMAL, TokenType.CONTROL, TokenType.CONTROL, TokenType.CONTROL,
                TokenType.USER_DEFINED));
        TokenizerMetadata md = new TokenizerMetadata()
                .string("tokenizer.ggml.model", "gpt2")
                .strings("tokenizer.ggml.tokens", tokens)
                .types(types)
                .strings("tokenizer.ggml.merges", merges)
                .uint32("tokenizer.ggml.bos_token_id", tokens.indexOf("<|begin_of_text|>"))
                .uint32("tokenizer.ggml.eos_token_id", tokens.indexOf("<|end_of_text|>"));
        return pre == null ? md : md.string("tokenizer.ggml.pre", pre);
    }

    private static Tokenizer tokenizer(String pre) {
        return Tokenizers.fromMetadata(vocabulary(pre, MERGES).build());
    }

    private static int[] ids(Tokenizer t, String... pieces) {
        int[] out = new int[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            out[i] = t.vocabulary().id(pieces[i]);
            assertTrue(out[i] >= 0, pieces[i]);
        }
        return out;
    }

    @Test
    void appliesTheListedMergesWithinEachWord() {
        Tokenizer t = tokenizer("gpt-2");
        assertArrayEquals(ids(t, "Hello", "Ġworld"), t.encode("Hello world"));
        assertArrayEquals(ids(t, "Hello", "Ġworld", "!", "!"), t.encode("Hello world!!"));
        // Pieces with no merge stay single bytes: 'H','i' and Ġ for the space.
        assertArrayEquals(ids(t, "H", "i", "Ġ", "H", "i"), t.encode("Hi Hi"));
    }

    /** Ids llama.cpp's {@code llama_tokenize} gave (with specials) for this very vocabulary, written to a GGUF file. */
    @Test
    void matchesTheIdsLlamaCppGives() {
        List<String> texts = List.of("Hello world!!  \n x", "I'm DON'T 12345 you've", "emoji 😀 你好\n\n",
                " xyz Hello<tool> world<|eot_id|>", "lll Hello");
        int[][] llama3 = {
                {266, 262, 264, 33, 33, 32, 32, 10, 32, 120},
                {266, 73, 39, 109, 32, 68, 79, 78, 39, 84, 32, 49, 50, 51, 52, 53, 32, 121, 111, 117, 39, 118, 101},
                {266, 101, 109, 111, 106, 105, 32, 240, 159, 152, 128, 32, 228, 189, 160, 229, 165, 189, 10, 10},
                {266, 265, 32, 262, 269, 264, 60, 124, 101, 111, 116, 95, 105, 100, 124, 62},
                {266, 258, 108, 32, 262}};
        int[][] gpt2 = {
                {262, 264, 33, 33, 32, 32, 10, 32, 120},
                {73, 39, 109, 32, 68, 79, 78, 39, 84, 32, 49, 50, 51, 52, 53, 32, 121, 111, 117, 39, 118, 101},
                {101, 109, 111, 106, 105, 32, 240, 159, 152, 128, 32, 228, 189, 160, 229, 165, 189, 10, 10},
                {32, 120, 121, 122, 32, 262, 269, 264, 60, 124, 101, 111, 116, 95, 105, 100, 124, 62},
                {258, 108, 32, 262}};
        Tokenizer l3 = tokenizer("llama-bpe");
        Tokenizer g2 = tokenizer("gpt-2");
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(llama3[i], l3.encodeWithSpecials(texts.get(i)), "llama-bpe: " + texts.get(i));
            assertArrayEquals(gpt2[i], g2.encodeWithSpecials(texts.get(i)), "gpt-2: " + texts.get(i));
        }
    }

    @Test
    void lowerRanksMergeFirst() {
        // With "e l" ranked first, "el" forms before "He" can, and "Hello" is never reached.
        List<String> merges = new ArrayList<>(List.of("e l"));
        merges.addAll(MERGES);
        Tokenizer t = Tokenizers.fromMetadata(vocabulary("gpt-2", merges).build());
        assertArrayEquals(ids(t, "H", "el", "l", "o"), t.encode("Hello"));
    }

    @Test
    void equalRanksMergeTheLeftmostPair() {
        Tokenizer t = tokenizer("gpt-2");
        assertArrayEquals(ids(t, "ll", "l"), t.encode("lll"));
    }

    @Test
    void llama3TakesWholeWordsFromTheVocabularyAndAddsBos() {
        Tokenizer llama3 = tokenizer("llama-bpe");
        assertArrayEquals(ids(llama3, "Ġxyz"), llama3.encode(" xyz"));
        assertTrue(llama3.addsBos());
        assertArrayEquals(ids(llama3, "<|begin_of_text|>", "Hello"), llama3.encodeWithSpecials("Hello"));

        Tokenizer gpt2 = tokenizer("gpt-2");
        assertArrayEquals(ids(gpt2, "Ġ", "x", "y", "z"), gpt2.encode(" xyz"));
        assertFalse(gpt2.addsBos());
        assertArrayEquals(ids(gpt2, "Hello"), gpt2.encodeWithSpecials("Hello"));
    }

    @Test
    void addBosTokenInTheMetadataOverridesThePreTokenizersDefault() {
        Tokenizer t = Tokenizers.fromMetadata(vocabulary("llama-bpe", MERGES)
                .bool("tokenizer.ggml.add_bos_token", false).build());
        assertFalse(t.addsBos());
        assertArrayEquals(new int[0], t.encodeWithSpecials(""));
    }

    @Test
    void roundTripsArbitraryUnicode() {
        for (String pre : List.of("gpt-2", "llama-bpe", "qwen2", "default", "deepseek-llm")) {
            Tokenizer t = tokenizer(pre);
            for (String text : List.of("Hello world", "emoji 😀🦙 and 你好世界!", "a\n\n\nb", "  many   spaces  ",
                    "tabs\tand\r\nCRLF", "ñandú Ærøskøbing ünïcödé", "\u3000ideographic space", "")) {
                assertEquals(text, t.decode(t.encode(text)), pre + ": " + text);
                assertEquals(text, new String(t.decodeBytes(t.encode(text)), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void specialTokensDecodeAsLlamaCppDoes() {
        Tokenizer t = tokenizer("llama-bpe");
        int bos = t.bosId();
        int eot = t.vocabulary().id("<|eot_id|>");
        int tool = t.vocabulary().id("<tool>");
        assertEquals("Hello<tool>", t.decode(new int[] {bos, t.vocabulary().id("Hello"), tool, eot}));
        assertTrue(t.isControl(bos));
        assertTrue(t.isEndOfGeneration(eot), "<|eot_id|> is found by its text");
        assertTrue(t.isEndOfGeneration(t.eosId()));
        assertArrayEquals(new int[] {t.eosId(), eot}, t.endOfGenerationIds());
    }

    @Test
    void controlTokenTextIsPlainButUserDefinedTokensAreRecognised() {
        Tokenizer t = tokenizer("llama-bpe");
        int[] ids = t.encode("<|eot_id|>");
        for (int id : ids) {
            assertFalse(t.isControl(id));
        }
        assertEquals("<|eot_id|>", t.decode(ids));
        assertArrayEquals(ids(t, "Hello", "<tool>", "Ġworld"), t.encode("Hello<tool> world"));
    }
}
