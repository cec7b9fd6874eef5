package dev.gantry.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.compute.DeviceSelection;
import dev.gantry.engine.loop.LoopStats;
import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.engine.plugin.PluginSelection;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.spi.GantryPlugin;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.speculator.DraftTree;
import dev.gantry.spi.speculator.SpeculationContext;
import dev.gantry.spi.speculator.Speculator;
import dev.gantry.spi.speculator.SpeculatorContext;
import dev.gantry.spi.speculator.SpeculatorFactory;
import dev.gantry.spi.speculator.VerifyMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Serving scenarios for the engine on a resident device, each compared token for token with the same engine on
 * the CPU and, for the prompts it covers, with stories260K's greedy oracle: concurrent requests sharing prefixes,
 * a KV budget that forces preemption by recompute or by swap, and draft trees whose accepted paths need slot
 * copies. The harness tests run them with the launches on the CPU, the GPU tests on a GPU.
 */
final class ResidentEngineCases {

    /** Opens an engine whose forward is resident on the device under test. */
    interface Opener {
        Engine open(Path model, EngineOptions options, PluginRegistry registry);
    }

    static final int MAX_TOKENS = 24;
    /** stories260K: 5 layers × 2 × 4 KV heads × 8 × 4 bytes. */
    static final long KV_BYTES_PER_TOKEN = 1280;
    static final int BLOCK_SIZE = 4;

    private static final String OPENING = "Once upon a time, there was a little girl named Lily.";

    /** The oracle's two prompts, and prompts sharing their first blocks with each other. */
    static final List<String> PROMPTS = List.of("", "Once upon a time", OPENING, OPENING + " She loved to play",
            "Once upon a time, there was a big dog", "Lily and Tom went to the park");

    private ResidentEngineCases() {
    }

    static Path model() {
        return CudaForwardOnCudaCpuTest.shared("models/stories260K.gguf");
    }

    /** Small steps and blocks of 4 tokens, so that prompts share blocks and admission spreads over steps. */
    static EngineOptions options() {
        return EngineOptions.defaults().withThreads(2).withBlockSize(BLOCK_SIZE).withMaxChunkTokens(16)
                .withMaxSequences(8).withKvBudget(256 * BLOCK_SIZE * KV_BYTES_PER_TOKEN)
                .withHostSwap(64 * BLOCK_SIZE * KV_BYTES_PER_TOKEN);
    }

    /** The CPU engine's answers: what every resident run must reproduce. */
    static List<GenerationResult> onCpu(EngineOptions options, PluginRegistry registry, List<String> prompts) {
        try (Engine engine = Engine.open(model(), options.withDevice(DeviceSelection.parse("cpu")), registry)) {
            return engine.generateAll(requests(prompts));
        }
    }

    static List<GenerationRequest> requests(List<String> prompts) {
        return prompts.stream().map(p -> GenerationRequest.greedy(p, MAX_TOKENS)).toList();
    }

    /** Runs {@code prompts} together on the resident engine; returns the results and the loop's counters. */
    static List<GenerationResult> resident(Opener opener, EngineOptions options, PluginRegistry registry,
                                           List<String> prompts, LoopStats[] stats) {
        try (Engine engine = opener.open(model(), options, registry)) {
            assertTrue(engine.forwardPath().startsWith("resident on "), "forward " + engine.forwardPath());
            List<GenerationResult> out = engine.generateAll(requests(prompts));
            stats[0] = engine.stats();
            return out;
        }
    }

    static void assertSameTokens(List<GenerationResult> want, List<GenerationResult> got, String setup) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i).tokens(), got.get(i).tokens(), setup + ": request " + i);
            assertEquals(want.get(i).text(), got.get(i).text(), setup + ": request " + i);
        }
    }

    /** The oracle's greedy tokens for the first two prompts, as far as the run went. */
    static void assertOracle(List<GenerationResult> got) {
        for (int i = 0; i < 2; i++) {
            try {
                JsonNode c = CudaForwardOnCudaCpuTest.oracleCase(PROMPTS.get(i));
                int[] want = CudaForwardOnCudaCpuTest.ints(c.get("generated_tokens"));
                int[] tokens = got.get(i).tokens();
                int n = Math.min(tokens.length, want.length);
                assertTrue(n >= Math.min(MAX_TOKENS, want.length), "request " + i + " stopped early: " + n);
                assertArrayEquals(Arrays.copyOf(want, n), Arrays.copyOf(tokens, n), "oracle, prompt '"
                        + PROMPTS.get(i) + "'");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Six requests at once, four sharing an opening: prefix-cache hits, batched decode, chunked prefill. */
    static void concurrentRequestsWithSharedPrefixes(Opener opener) {
        PluginRegistry registry = PluginRegistry.discover();
        EngineOptions options = options();
        List<GenerationResult> want = onCpu(options, registry, PROMPTS);
        LoopStats[] stats = new LoopStats[1];
        List<GenerationResult> got = resident(opener, options, registry, PROMPTS, stats);
        assertSameTokens(want, got, "concurrent");
        assertOracle(got);
        assertTrue(stats[0].prefixHits() > 0, "shared openings hit the prefix cache: " + stats[0]);
        assertEquals(0, stats[0].preemptions());
    }

    /** A budget of 20 blocks for six requests of up to 11: the scheduler preempts, by recompute or by swap. */
    static void preemption(Opener opener, String mode) {
        PluginRegistry registry = PluginRegistry.discover();
        EngineOptions options = options().withKvBudget(20 * BLOCK_SIZE * KV_BYTES_PER_TOKEN).withPlugins(
                PluginSelection.fromProperties(Map.of("gantry.plugin.baseline.fcfs.preemption-mode", mode)));
        List<GenerationResult> want = onCpu(options(), registry, PROMPTS);
        LoopStats[] stats = new LoopStats[1];
        List<GenerationResult> got = resident(opener, options, registry, PROMPTS, stats);
        assertSameTokens(want, got, mode + " preemption");
        assertOracle(got);
        assertTrue(stats[0].preemptions() > 0, "the budget must force preemptions: " + stats[0]);
    }

    /**
     * Draft trees verified in one forward: at each of three depths two wrong siblings come before the true
     * greedy token, so every accepted path keeps nodes out of order and the engine copies their KV slots.
     */
    static void treeSpeculation(Opener opener) {
        List<String> prompts = PROMPTS.subList(0, 3);
        List<GenerationResult> plain = onCpu(options(), PluginRegistry.discover(), prompts);
        List<int[]> truths = new ArrayList<>();
        for (GenerationResult r : plain) {
            int[] all = Arrays.copyOf(r.promptTokens(), r.promptTokens().length + r.tokens().length);
            System.arraycopy(r.tokens(), 0, all, r.promptTokens().length, r.tokens().length);
            truths.add(all);
        }
        PluginRegistry registry = PluginRegistry.of(List.of(PluginRegistry.discover().plugins().get("baseline"),
                truthAmongWrongBranches(truths)));
        EngineOptions options = options().withPlugins(PluginSelection.defaults().with(ExtensionPoint.SPECULATOR,
                "hidden-truth"));
        LoopStats[] stats = new LoopStats[1];
        List<GenerationResult> got = resident(opener, options, registry, prompts, stats);
        assertSameTokens(plain, got, "tree speculation");
        assertTrue(stats[0].acceptedTokens() > 0, "true drafts were accepted: " + stats[0]);
        assertTrue(stats[0].acceptedTokens() * 3 <= stats[0].draftTokens(), "wrong siblings were not: " + stats[0]);
    }

    /** A speculator that knows each prompt's greedy continuation and hides it among wrong branches. */
    private static GantryPlugin truthAmongWrongBranches(List<int[]> truths) {
        Speculator speculator = new Speculator() {
            public String name() {
                return "hidden-truth";
            }

            public VerifyMode verifyMode() {
                return VerifyMode.GREEDY_EXACT;
            }

            public int maxTreeSize() {
                return 16;
            }

            public DraftTree propose(SpeculationContext c) {
                int[] truth = truthOf(truths, c);
                int next = c.committed().length() + 1;
                if (truth == null || c.maxTreeSize() < 10 || next + 3 > truth.length) {
                    return DraftTree.rootOnly(c.pendingToken());
                }
                int[] tokens = new int[10];
                int[] parents = new int[10];
                tokens[0] = c.pendingToken();
                parents[0] = -1;
                int parent = 0;
                for (int depth = 0, node = 1; depth < 3; depth++, node += 3) {
                    int t = truth[next + depth];
                    tokens[node] = (t + 1) % 512;
                    tokens[node + 1] = (t + 2) % 512;
                    tokens[node + 2] = t;
                    parents[node] = parents[node + 1] = parents[node + 2] = parent;
                    parent = node + 2;
                }
                return new DraftTree(tokens, parents, null);
            }
        };
        return new GantryPlugin() {
            public String name() {
                return "test-hidden-truth";
            }

            public List<SpeculatorFactory> speculators() {
                return List.of(new SpeculatorFactory() {
                    public String name() {
                        return "hidden-truth";
                    }

                    public Speculator create(PluginConfig config, SpeculatorContext context) {
                        return speculator;
                    }
                });
            }
        };
    }

    /** The expected sequence whose start is the context's committed tokens, or null. */
    private static int[] truthOf(List<int[]> truths, SpeculationContext c) {
        int n = c.committed().length();
        for (int[] t : truths) {
            boolean match = t.length > n;
            for (int i = 0; match && i < n; i++) {
                match = t[i] == c.committed().tokenAt(i);
            }
            if (match && t[n] == c.pendingToken()) {
                return t;
            }
        }
        return null;
    }
}
