package dev.gantry.engine.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginSelection;
import dev.gantry.engine.testing.SharedFiles;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Greedy decoding of the trained stories260K model equals the float64 reference token for token, and the
 * decoded text equals the reference text, for every prompt the reference holds (the empty one included), with
 * each KV codec, thread count and prefill chunking.
 */
class OracleParityTest {

    record Setup(String name, EngineOptions options) {
    }

    @TestFactory
    List<DynamicTest> greedyOutputEqualsTheReference() throws IOException {
        var model = SharedFiles.stories260K();
        JsonNode oracle = new ObjectMapper().readTree(SharedFiles.oracle().toFile());
        List<Setup> setups = List.of(
                new Setup("f32 KV, 1 thread", EngineOptions.defaults().withThreads(1)),
                new Setup("f32 KV, 2 threads, 3-token prefill chunks",
                        EngineOptions.defaults().withThreads(2).withMaxChunkTokens(3)),
                new Setup("f16 KV, 2 threads", EngineOptions.defaults().withThreads(2)
                        .withPlugins(PluginSelection.defaults().with(ExtensionPoint.KV_CODEC, "f16"))));
        List<DynamicTest> tests = new ArrayList<>();
        for (Setup setup : setups) {
            for (JsonNode c : oracle.get("cases")) {
                String prompt = c.get("prompt").asText();
                int[] promptTokens = ints(c.get("prompt_tokens"));
                int[] expected = ints(c.get("generated_tokens"));
                String text = c.get("generated_text").asText();
                tests.add(DynamicTest.dynamicTest(setup.name() + ": '" + prompt + "'", () -> {
                    try (Engine engine = Engine.open(model, setup.options())) {
                        GenerationResult r = engine.generate(GenerationRequest.greedy(prompt, expected.length));
                        assertArrayEquals(promptTokens, r.promptTokens(), "prompt tokens");
                        assertArrayEquals(expected, r.tokens(), "generated tokens");
                        assertEquals(text, r.text(), "generated text");
                    }
                }));
            }
        }
        return tests;
    }

    static int[] ints(JsonNode array) {
        return IntStream.range(0, array.size()).map(i -> array.get(i).asInt()).toArray();
    }
}
