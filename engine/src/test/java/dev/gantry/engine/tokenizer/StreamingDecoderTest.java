package dev.gantry.engine.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamingDecoderTest {

    /** A SentencePiece vocabulary with only "▁", "a" and the byte tokens, so emoji arrive byte by byte. */
    private static Tokenizer tokenizer() {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<TokenType> types = new ArrayList<>(List.of(TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(TokenType.BYTE);
        }
        tokens.addAll(List.of("▁", "a"));
        types.addAll(List.of(TokenType.NORMAL, TokenType.NORMAL));
        return Tokenizers.fromMetadata(new TokenizerMetadata()
                .string("tokenizer.ggml.model", "llama")
                .strings("tokenizer.ggml.tokens", tokens)
                .types(types)
                .build());
    }

    private static int byteToken(int b) {
        return 3 + b;
    }

    @Test
    void holdsBackAnIncompleteCharacterUntilItsLastByte() {
        StreamingDecoder d = new StreamingDecoder(tokenizer());
        // Ids: 259 is "▁", 260 is "a".
        assertEquals(" a", d.feed(259) + d.feed(260));
        // 😀 = F0 9F 98 80
        assertEquals("", d.feed(byteToken(0xF0)));
        assertEquals("", d.feed(byteToken(0x9F)));
        assertEquals("", d.feed(byteToken(0x98)));
        assertEquals(3, d.pendingBytes());
        assertEquals("😀", d.feed(byteToken(0x80)));
        assertEquals(0, d.pendingBytes());
        // é = C3 A9, then a control token that adds nothing, then the rest.
        assertEquals("", d.feed(byteToken(0xC3)));
        assertEquals("", d.feed(2));
        assertEquals("é", d.feed(byteToken(0xA9)));
        assertEquals("", d.flush());
    }

    @Test
    void emitsWhatIsCompleteBeforeAHeldSequence() {
        StreamingDecoder d = new StreamingDecoder(tokenizer());
        // "€" is E2 82 AC; the space token before its first byte comes out at once.
        assertEquals(" ", d.feed(259));
        assertEquals("", d.feed(byteToken(0xE2)));
        assertEquals("", d.feed(byteToken(0x82)));
        assertEquals("€", d.feed(byteToken(0xAC)));
    }

    @Test
    void malformedSequencesAreReplacedOnceTheyCannotComplete() {
        StreamingDecoder d = new StreamingDecoder(tokenizer());
        assertEquals("", d.feed(byteToken(0xE2)));
        assertEquals("\uFFFDa", d.feed(260));
        assertEquals("", d.feed(byteToken(0xF0)));
        assertEquals("\uFFFD", d.flush());
    }

    @Test
    void streamedPiecesConcatenateToTheWholeDecode() {
        Tokenizer t = tokenizer();
        Map<String, int[]> cases = new LinkedHashMap<>();
        for (String text : List.of("a😀a€é 日本 🦙🦙", "\uD83D\uDE00", "aaa")) {
            cases.put(text, t.encode(text));
        }
        // Also a stream with stray continuation bytes and a truncated sequence at the end.
        cases.put("broken", new int[] {260, byteToken(0x80), byteToken(0xE6), byteToken(0x97), 260, byteToken(0xF0)});
        cases.forEach((name, ids) -> {
            StreamingDecoder d = new StreamingDecoder(t);
            StringBuilder streamed = new StringBuilder();
            for (int id : ids) {
                streamed.append(d.feed(id));
            }
            streamed.append(d.flush());
            assertEquals(t.decode(ids), streamed.toString(), name);
        });
    }
}
