package dev.gantry.engine.loop;

import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.plugin.PluginSelection;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.engine.synth.ModelShape;
import dev.gantry.engine.synth.SyntheticModelWriter;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.testing.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Running many requests at once never changes any request's answer: each of N concurrent greedy requests
 * (mixed lengths, some sharing prefixes) gets exactly the tokens it gets alone — with plenty of KV, with a
 * budget so small that sequences are preempted by recompute or by swap, and with prefix caching on.
 */
class BatchInvarianceTest {

    @TempDir
    static Path dir;

    /** A shared story opening long enough to fill two KV blocks, so that prompts built on it share blocks. */
    static final String OPENING = "Once upon a time, there was a little girl named Lily. She loved to play outside"
            + " in the park. One day, she saw a big, red ball.";

    static List<String> prompts(int n) {
        String[] stems = {"Once upon a time", "Lily and Tom went to the park", "The little dog", "",
                "She was sad because", OPENING, OPENING + " She wanted to", OPENING + " Her mom said"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String stem = stems[i % stems.length];
            out.add(i < stems.length ? stem : stem + " and " + "very ".repeat(i % 5) + "happy");
        }
        return out;
    }

    static List<GenerationResult> alone(Path model, EngineOptions options, List<String> prompts, int maxTokens) {
        try (Engine engine = Engine.open(model, options)) {
            List<GenerationResult> out = new ArrayList<>();
            for (String p : prompts) {
                out.add(engine.generate(GenerationRequest.greedy(p, maxTokens)));
            }
            return out;
        }
    }

    static List<GenerationResult> together(Path model, EngineOptions options, List<String> prompts, int maxTokens,
                                           long[] preemptionsAndHits) {
        try (Engine engine = Engine.open(model, options)) {
            List<GenerationResult> out = engine.generateAll(prompts.stream()
                    .map(p -> GenerationRequest.greedy(p, maxTokens)).toList());
            LoopStats stats = engine.stats();
            preemptionsAndHits[0] = stats.preemptions();
            preemptionsAndHits[1] = stats.prefixHits();
            return out;
        }
    }

    static void assertSame(List<GenerationResult> expected, List<GenerationResult> actual, String setup) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).tokens(), actual.get(i).tokens(), setup + ": request " + i);
            assertEquals(expected.get(i).text(), actual.get(i).text(), setup + ": request " + i);
        }
    }

    @Test
    void thirtyTwoConcurrentRequestsOnTheTrainedModelMatchTheirSoloRuns() {
        Path model = SharedFiles.stories260K();
        List<String> prompts = prompts(32);
        EngineOptions base = EngineOptions.defaults().withThreads(2);
        List<GenerationResult> solo = alone(model, base.withPrefixCaching(false), prompts, 40);
        long[] counters = new long[2];
        assertSame(solo, together(model, base, prompts, 40, counters), "batched, prefix caching");
        assertTrue(counters[1] > 0, "shared prompt prefixes hit the prefix cache: " + counters[1]);
        assertEquals(0, counters[0], "no preemption with a large budget");

        // stories260K: 5 layers × 2 × 4 kv heads × 8 × 4 bytes = 1280 bytes/token; 40 blocks of 16 tokens.
        EngineOptions tight = base.withKvBudget(40 * 16 * 1280L).withMaxChunkTokens(48);
        long[] recompute = new long[2];
        assertSame(solo, together(model, tight, prompts, 40, recompute), "recompute preemption");
        assertTrue(recompute[0] > 0, "the tight budget must force preemptions");

        long[] swap = new long[2];
        EngineOptions swapping = tight.withPlugins(PluginSelection.fromProperties(
                Map.of("gantry.plugin.baseline.fcfs.preemption-mode", "swap")));
        assertSame(solo, together(model, swapping, prompts, 40, swap), "swap preemption");
        assertTrue(swap[0] > 0, "the tight budget must force preemptions");
    }

    @Test
    void syntheticModelsOfOtherShapesAreBatchInvariantToo() {
        ModelShape shape = new ModelShape("gqa4-q8", 128, 3, 8, 2, 160, 400, 512, 10000f, 1e-5f, false,
                GgmlType.Q8_0, false);
        Path model = dir.resolve("gqa4-q8.gguf");
        SyntheticModelWriter.write(shape, 17, model);
        List<String> prompts = prompts(12);
        EngineOptions base = EngineOptions.defaults().withThreads(2).withMaxChunkTokens(7);
        List<GenerationResult> solo = alone(model, base, prompts, 24);
        long[] counters = new long[2];
        assertSame(solo, together(model, base.withMaxSequences(5), prompts, 24, counters), "batched");
    }
}
