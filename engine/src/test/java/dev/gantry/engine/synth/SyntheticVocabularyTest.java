package dev.gantry.engine.synth;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The synthetic SentencePiece vocabulary: layout, uniqueness, and that text round-trips through BPE with it. */
class SyntheticVocabularyTest {

    @Test
    void layoutFollowsLlama() {
        SyntheticVocabulary v = SyntheticVocabulary.of(512);
        List<String> t = v.tokens();
        assertEquals(512, v.size());
        assertEquals(List.of("<unk>", "<s>", "</s>"), t.subList(0, 3));
        for (int b = 0; b < 256; b++) {
            assertEquals(String.format("<0x%02X>", b), t.get(SyntheticVocabulary.FIRST_BYTE_ID + b));
            assertEquals(SyntheticVocabulary.TYPE_BYTE, v.tokenTypes()[SyntheticVocabulary.FIRST_BYTE_ID + b]);
        }
        assertEquals("▁", t.get(SyntheticVocabulary.FIRST_PIECE_ID));
        assertEquals("a", t.get(SyntheticVocabulary.FIRST_PIECE_ID + 1));
        assertEquals(List.of(2, 3, 3), List.of(v.tokenTypes()[0], v.tokenTypes()[1], v.tokenTypes()[2]));
        float[] scores = v.scores();
        for (int id = SyntheticVocabulary.FIRST_PIECE_ID; id < 512; id++) {
            assertEquals(SyntheticVocabulary.TYPE_NORMAL, v.tokenTypes()[id]);
            if (id > SyntheticVocabulary.FIRST_PIECE_ID) {
                assertTrue(scores[id] < scores[id - 1], "scores decrease with the id");
            }
        }
        assertTrue(t.contains("▁the") && t.contains("ing"), "common pieces are present");
    }

    @Test
    void everySizeHasUniqueTokensAndExtendsTheSmallerOnes() {
        List<String> big = SyntheticVocabulary.of(128256).tokens();
        assertEquals(128256, new HashSet<>(big).size());
        for (int size : new int[]{SyntheticVocabulary.MIN_SIZE, 320, 512, 32000}) {
            List<String> small = SyntheticVocabulary.of(size).tokens();
            assertEquals(size, new HashSet<>(small).size());
            assertEquals(big.subList(0, size), small);
        }
    }

    @Test
    void everyMultiCharacterPieceCanBeReachedByAMerge() {
        List<String> t = SyntheticVocabulary.of(32000).tokens();
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < t.size(); i++) {
            ids.put(t.get(i), i);
        }
        for (int id = SyntheticVocabulary.FIRST_PIECE_ID; id < t.size(); id++) {
            String piece = t.get(id);
            int last = piece.offsetByCodePoints(piece.length(), -1);
            if (last > 0) {
                Integer prefix = ids.get(piece.substring(0, last));
                assertTrue(prefix != null && prefix < id, piece + " has its prefix earlier");
            }
        }
    }

    @Test
    void tooSmallIsRefused() {
        assertEquals(312, SyntheticVocabulary.MIN_SIZE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyntheticVocabulary.of(311));
        assertTrue(e.getMessage().contains("at least 312"), e.getMessage());
    }

    @Test
    void anyTextRoundTripsThroughBpeWithByteFallback() {
        for (int size : new int[]{SyntheticVocabulary.MIN_SIZE, 320, 512, 32000}) {
            SpmBpe bpe = new SpmBpe(SyntheticVocabulary.of(size));
            for (String text : List.of("Once upon a time, there was a little girl named Lily.",
                    "Hello   world\n\ttabs", "naïve café — 日本語 🦙 ∑", "x", "12345 + 67 = ?", "\u0000\u007f")) {
                List<Integer> ids = bpe.encode(text);
                assertEquals(text, bpe.decode(ids), () -> "vocabulary of " + size + ": " + ids);
            }
        }
        SpmBpe bpe = new SpmBpe(SyntheticVocabulary.of(32000));
        assertTrue(bpe.encode("the little girl").size() < 6, "merges make common words single tokens");
    }

    /**
     * A minimal SentencePiece BPE encoder, as llama.cpp's SPM tokenizer works: spaces become ▁ and one is
     * prepended, the highest-scoring adjacent pair merges first, and symbols left without a token are
     * spelled with byte tokens.
     */
    private static final class SpmBpe {
        private final List<String> tokens;
        private final float[] scores;
        private final Map<String, Integer> ids = new HashMap<>();

        SpmBpe(SyntheticVocabulary v) {
            tokens = v.tokens();
            scores = v.scores();
            for (int i = SyntheticVocabulary.FIRST_PIECE_ID; i < tokens.size(); i++) {
                ids.put(tokens.get(i), i);
            }
        }

        List<Integer> encode(String text) {
            String s = "▁" + text.replace(' ', '▁');
            List<String> symbols = new ArrayList<>();
            s.codePoints().forEach(c -> symbols.add(Character.toString(c)));
            while (true) {
                int best = -1;
                float bestScore = Float.NEGATIVE_INFINITY;
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    Integer id = ids.get(symbols.get(i) + symbols.get(i + 1));
                    if (id != null && scores[id] > bestScore) {
                        best = i;
                        bestScore = scores[id];
                    }
                }
                if (best < 0) {
                    break;
                }
                symbols.set(best, symbols.get(best) + symbols.remove(best + 1));
            }
            List<Integer> out = new ArrayList<>();
            for (String sym : symbols) {
                Integer id = ids.get(sym);
                if (id != null) {
                    out.add(id);
                } else {
                    for (byte b : sym.getBytes(StandardCharsets.UTF_8)) {
                        out.add(SyntheticVocabulary.FIRST_BYTE_ID + Byte.toUnsignedInt(b));
                    }
                }
            }
            return out;
        }

        String decode(List<Integer> ids) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int id : ids) {
                if (id >= SyntheticVocabulary.FIRST_BYTE_ID && id < SyntheticVocabulary.FIRST_PIECE_ID) {
                    bytes.write(id - SyntheticVocabulary.FIRST_BYTE_ID);
                } else {
                    bytes.writeBytes(tokens.get(id).replace('▁', ' ').getBytes(StandardCharsets.UTF_8));
                }
            }
            String s = bytes.toString(StandardCharsets.UTF_8);
            return s.substring(1); // the space SentencePiece prepended
        }
    }
}
