package dev.gantry.engine.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentencePieceTokenizerTest {

    /** Byte token ids in the hand-made vocabularies: {@code <0xNN>} is 3 + NN, as in llama2.c's models. */
    private static int byteId(int b) {
        return 3 + b;
    }

    /**
     * {@code <unk>}, {@code <s>}, {@code </s>}, the 256 byte tokens, then {@code pieces} (ids from 259 on)
     * with their scores.
     */
    private static TokenizerMetadata vocabulary(Map<String, Float> pieces, Map<String, TokenType> extraTypes) {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f));
        List<TokenType> types = new ArrayList<>(List.of(TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            scores.add(0f);
            types.add(TokenType.BYTE);
        }
        pieces.forEach((piece, score) -> {
            tokens.add(piece);
            scores.add(score);
            types.add(extraTypes.getOrDefault(piece, TokenType.NORMAL));
        });
        return new TokenizerMetadata()
                .string("tokenizer.ggml.model", "llama")
                .strings("tokenizer.ggml.tokens", tokens)
                .floats("tokenizer.ggml.scores", scores)
                .types(types);
    }

    private static SentencePieceTokenizer tokenizer(Map<String, Float> pieces) {
        return SentencePieceTokenizer.fromMetadata(vocabulary(pieces, Map.of()).build());
    }

    private static Map<String, Float> ordered(Object... pieceScore) {
        Map<String, Float> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pieceScore.length; i += 2) {
            m.put((String) pieceScore[i], ((Number) pieceScore[i + 1]).floatValue());
        }
        return m;
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
    void mergesTheHighestScoringPairFirst() {
        // "▁abc": "ab" scores best, then "abc" is reachable; "▁a" loses.
        SentencePieceTokenizer abFirst = tokenizer(ordered("▁", -10, "a", -10, "b", -10, "c", -10,
                "▁a", -3, "ab", -1, "bc", -2, "abc", -1.5));
        assertArrayEquals(ids(abFirst, "▁", "abc"), abFirst.encode("abc"));

        // Same pieces, but "▁a" scores best: it merges first and blocks "ab".
        SentencePieceTokenizer spaceFirst = tokenizer(ordered("▁", -10, "a", -10, "b", -10, "c", -10,
                "▁a", -0.5, "ab", -1, "bc", -2, "abc", -1.5));
        assertArrayEquals(ids(spaceFirst, "▁a", "bc"), spaceFirst.encode("abc"));
    }

    @Test
    void equalScoresMergeTheLeftmostPair() {
        SentencePieceTokenizer t = tokenizer(ordered("▁", -10, "a", -10, "aa", -1));
        assertArrayEquals(ids(t, "▁", "aa", "a"), t.encode("aaa"));
        assertArrayEquals(ids(t, "▁", "aa", "aa"), t.encode("aaaa"));
    }

    @Test
    void charactersMissingFromTheVocabularyFallBackToByteTokens() {
        SentencePieceTokenizer t = tokenizer(ordered("▁", -10, "a", -10));
        // é is C3 A9; 😀 is F0 9F 98 80.
        assertArrayEquals(new int[] {t.vocabulary().id("▁"), byteId(0xC3), byteId(0xA9)}, t.encode("é"));
        assertArrayEquals(new int[] {t.vocabulary().id("▁"), t.vocabulary().id("a"),
                byteId(0xF0), byteId(0x9F), byteId(0x98), byteId(0x80)}, t.encode("a😀"));
        assertEquals(" a😀", t.decode(t.encode("a😀")));
    }

    @Test
    void roundTripsKeepTheLeadingSpaceAndEveryByte() {
        SentencePieceTokenizer t = tokenizer(ordered("▁", -10, "a", -10, "b", -10, "▁a", -1, "ab", -2));
        for (String text : List.of("ab ba", "a  b\n\nc", "日本語 🦙 ñ", "\t tab", "x")) {
            assertEquals(" " + text, t.decode(t.encode(text)), text);
            assertEquals(" " + text, new String(t.decodeBytes(t.encode(text)), StandardCharsets.UTF_8));
        }
    }

    @Test
    void bosIsAddedByDefaultAndTheEmptyPromptIsBosOnly() {
        SentencePieceTokenizer t = tokenizer(ordered("▁", -10, "a", -10));
        assertTrue(t.addsBos());
        assertFalse(t.addsEos());
        assertArrayEquals(new int[] {1}, t.encodeWithSpecials(""));
        assertArrayEquals(new int[0], t.encode(""));
        assertArrayEquals(new int[] {1, t.vocabulary().id("▁"), t.vocabulary().id("a")}, t.encode("a", true));
        assertEquals("", t.decode(new int[] {1, 2}), "control tokens decode to nothing");
        assertTrue(t.isControl(1));
        assertTrue(t.isEndOfGeneration(2));
        assertArrayEquals(new int[] {2}, t.endOfGenerationIds());
    }

    @Test
    void metadataDecidesBosEosAndTheSpacePrefix() {
        var md = vocabulary(ordered("▁", -10, "a", -10), Map.of())
                .bool("tokenizer.ggml.add_bos_token", false)
                .bool("tokenizer.ggml.add_eos_token", true)
                .bool("tokenizer.ggml.add_space_prefix", false)
                .build();
        Tokenizer t = Tokenizers.fromMetadata(md);
        assertArrayEquals(new int[] {t.vocabulary().id("a"), 2}, t.encodeWithSpecials("a"));
        assertArrayEquals(new int[] {2}, t.encodeWithSpecials(""));
    }

    @Test
    void controlTokenTextIsPlainText() {
        SentencePieceTokenizer t = tokenizer(ordered("▁", -10, "s", -10));
        int[] ids = t.encode("<s>");
        for (int id : ids) {
            assertFalse(t.isControl(id));
        }
        assertEquals(" <s>", t.decode(ids));
    }

    @Test
    void userDefinedTokensAreCutOutOfTheTextAndFollowedByASpacePrefix() {
        var md = vocabulary(ordered("▁", -10, "a", -10, "b", -10, "▁a", -1, "▁b", -1, "<tool>", 0),
                Map.of("<tool>", TokenType.USER_DEFINED)).build();
        Tokenizer t = Tokenizers.fromMetadata(md);
        assertArrayEquals(ids(t, "▁a", "<tool>", "▁b"), t.encode("a<tool>b"));
        assertEquals(" a<tool> b", t.decode(t.encode("a<tool>b")));
    }

    @Test
    void longPromptsRoundTrip() {
        SentencePieceTokenizer t = tokenizer(ordered("▁", -10, "a", -10, "b", -10, "▁a", -1, "ab", -2, "aba", -3));
        String text = "ab ".repeat(20_000);
        assertEquals(" " + text, t.decode(t.encode(text)));
    }
}
