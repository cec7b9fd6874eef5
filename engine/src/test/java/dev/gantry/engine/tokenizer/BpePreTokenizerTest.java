package dev.gantry.engine.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected splits are those of the original expressions under Python's {@code regex} module. */
class BpePreTokenizerTest {

    private static List<String> split(String pre, String text) {
        return BpePreTokenizer.forName(pre).split(text);
    }

    @Test
    void gpt2() {
        assertEquals(List.of("Hello", " world", "!!", "  \n", " x"), split("gpt-2", "Hello world!!  \n x"));
        assertEquals(List.of("I", "'m", " DON", "'", "T", " 12345", " you", "'ve"),
                split("gpt-2", "I'm DON'T 12345 you've"));
        assertEquals(List.of(" ", " leading", "\t", "and", "\u3000", "ideographic", "  "),
                split("gpt-2", "  leading\tand\u3000ideographic  "));
        assertEquals(List.of("emoji", " 😀😀", " and", " 你好世界", "!", "\n\n", "\n", "end"),
                split("gpt-2", "emoji 😀😀 and 你好世界!\n\n\nend"));
        assertEquals(List.of("a", "\r\n\r", "\n", "b"), split("gpt-2", "a\r\n\r\nb"));
        assertEquals(List.of("x", "   "), split("gpt-2", "x   "));
    }

    @Test
    void llama3() {
        assertEquals(List.of("Hello", " world", "!!", "  \n", " x"), split("llama-bpe", "Hello world!!  \n x"));
        assertEquals(List.of("I", "'m", " DON", "'T", " ", "123", "45", " you", "'ve"),
                split("llama3", "I'm DON'T 12345 you've"));
        assertEquals(List.of(" ", " leading", "\tand", "\u3000ideographic", "  "),
                split("llama-bpe", "  leading\tand\u3000ideographic  "));
        assertEquals(List.of("emoji", " 😀😀", " and", " 你好世界", "!\n\n\n", "end"),
                split("llama-bpe", "emoji 😀😀 and 你好世界!\n\n\nend"));
        assertEquals(List.of("a", "\r\n\r\n", "b"), split("llama-bpe", "a\r\n\r\nb"));
    }

    @Test
    void qwen2SplitsDigitsOneByOne() {
        assertEquals(List.of("I", "'m", " DON", "'T", " ", "1", "2", "3", "4", "5", " you", "'ve"),
                split("qwen2", "I'm DON'T 12345 you've"));
    }

    @Test
    void defaultAppliesLlamaCppsFourExpressionsInTurn() {
        // Punctuation runs first, then GPT-2's expression inside each piece, then digit runs, then triples.
        assertEquals(List.of("Hello", ",", " world", "!", " ", "123", "4"), split("default", "Hello, world! 1234"));
        assertEquals(split("default", "Hello, world! 1234"), split(null, "Hello, world! 1234"));
        assertEquals(split("default", "Hello, world! 1234"), split("gpt2", "Hello, world! 1234"),
                "names llama.cpp does not know get its default");
    }

    @Test
    void deepseekLlm() {
        assertEquals(List.of("Hello", " ", "世界", " ", "123", "\n"), split("deepseek-llm", "Hello 世界 123\n"));
    }

    @Test
    void everySplitConcatenatesBackToTheText() {
        String text = "It's 2024-05-01: \"quotes\" & émojis 🙂🙃\r\n\ttabs…   end  ";
        for (String pre : List.of("default", "gpt-2", "llama-bpe", "qwen2", "deepseek-llm", "deepseek-coder",
                "falcon", "starcoder", "dbrx")) {
            assertEquals(text, String.join("", split(pre, text)), pre);
        }
    }

    @Test
    void namesLlamaCppTokenizesDifferentlyAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BpePreTokenizer.forName("tekken"));
        assertTrue(e.getMessage().contains("tokenizer.ggml.pre"), e.getMessage());
        assertTrue(e.getMessage().contains("llama-bpe"), e.getMessage());
    }
}
