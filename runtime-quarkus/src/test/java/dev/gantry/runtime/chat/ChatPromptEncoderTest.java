package dev.gantry.runtime.chat;

import dev.gantry.engine.llama.LlamaModel;
import dev.gantry.engine.synth.ModelShapes;
import dev.gantry.engine.synth.SyntheticModelWriter;
import dev.gantry.engine.tokenizer.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Control-token pieces a template writes become those tokens; the text between them is encoded as prompts are. */
class ChatPromptEncoderTest {

    static Path file;
    static LlamaModel model;
    static Tokenizer tokenizer;
    static ChatPromptEncoder encoder;

    @BeforeAll
    static void openModel() throws IOException {
        file = Files.createTempFile("chat-encoder-", ".gguf");
        SyntheticModelWriter.write(ModelShapes.TINY, 3, file);
        model = LlamaModel.open(file);
        tokenizer = model.tokenizer();
        encoder = new ChatPromptEncoder(tokenizer);
    }

    @AfterAll
    static void closeModel() throws IOException {
        model.close();
        Files.deleteIfExists(file);
    }

    @Test
    void plainTextIsEncodedLikeACompletionPrompt() {
        assertArrayEquals(tokenizer.encode("user: hello\nassistant:", true), encoder.encode("user: hello\nassistant:"));
    }

    @Test
    void controlPiecesBecomeControlTokensAndBosIsNotDoubled() {
        int bos = tokenizer.bosId();
        int eos = tokenizer.eosId();
        int[] expected = IntStream.concat(IntStream.concat(IntStream.of(bos), IntStream.of(tokenizer.encode("hi", false))),
                IntStream.concat(IntStream.of(eos), IntStream.of(tokenizer.encode("there", false)))).toArray();
        assertArrayEquals(expected, encoder.encode("<s>hi</s>there"));
    }

    @Test
    void textAfterAControlTokenStartsLikeAPrompt() {
        int[] expected = IntStream.concat(IntStream.of(tokenizer.bosId()),
                IntStream.concat(IntStream.of(tokenizer.encode("a", false)),
                        IntStream.concat(IntStream.of(tokenizer.eosId()), IntStream.of(tokenizer.eosId())))).toArray();
        assertArrayEquals(expected, encoder.encode("a</s></s>"));
    }
}
