package dev.gantry.engine.loop;

import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.engine.testing.SharedFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A request continued from its progress ({@link GenerationRequest#resume}) produces the tokens of an uninterrupted
 * run: greedy, and sampled with the same seed (penalties and the output length included).
 */
class ContinuationTest {

    static Engine engine;

    @BeforeAll
    static void open() {
        engine = Engine.open(SharedFiles.stories260K(), EngineOptions.defaults().withThreads(2));
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void greedyContinuationEqualsTheUninterruptedRun() {
        assertContinuesExactly(SamplingParams.greedy(40));
    }

    @Test
    void seededSampledContinuationEqualsTheUninterruptedRun() {
        assertContinuesExactly(SamplingParams.builder().temperature(0.9f).topP(0.95f).seed(42L)
                .frequencyPenalty(0.5f).maxTokens(40).ignoreEos(true).build());
    }

    @Test
    void aContinuationWithNothingLeftToGenerateIsRefused() {
        int[] prompt = engine.tokenizer().encode("Once", true);
        assertThrows(IllegalArgumentException.class,
                () -> engine.submit(GenerationRequest.resume(prompt, new int[] {1, 2, 3}, SamplingParams.greedy(3))));
    }

    private static void assertContinuesExactly(SamplingParams sampling) {
        GenerationResult whole = engine.generate(new GenerationRequest("Once upon a time", null, sampling, 0));
        int[] tokens = whole.tokens();
        for (int k : new int[] {1, 7, tokens.length - 1}) {
            GenerationResult rest = engine.generate(GenerationRequest.resume(whole.promptTokens(),
                    Arrays.copyOf(tokens, k), sampling));
            assertArrayEquals(tokens, rest.tokens(), "resumed after " + k + " tokens");
            assertEquals(whole.finishReason(), rest.finishReason());
            assertEquals(whole.usage().completionTokens(), rest.usage().completionTokens());
        }
    }
}
