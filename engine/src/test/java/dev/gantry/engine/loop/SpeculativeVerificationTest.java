package dev.gantry.engine.loop;

import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.engine.plugin.PluginSelection;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.engine.testing.SharedFiles;
import dev.gantry.spi.GantryPlugin;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.speculator.DraftTree;
import dev.gantry.spi.speculator.SpeculationContext;
import dev.gantry.spi.speculator.Speculator;
import dev.gantry.spi.speculator.SpeculatorContext;
import dev.gantry.spi.speculator.SpeculatorFactory;
import dev.gantry.spi.speculator.VerifyMode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Draft trees verified in one forward pass never change greedy output: a speculator that proposes the true
 * greedy continuation as a chain, one that hides it among wrong branches, and one that proposes nonsense all
 * give exactly the plain greedy tokens, with the expected numbers of accepted drafts. The baseline's n-gram
 * speculator is exact too.
 */
class SpeculativeVerificationTest {

    static final int MAX_TOKENS = 60;

    /** A test plugin whose speculator drafts with a function of (the expected continuation, the context). */
    static GantryPlugin plugin(String name, Function<SpeculationContext, DraftTree> draft) {
        return new GantryPlugin() {
            public String name() {
                return "test-" + name;
            }

            public List<SpeculatorFactory> speculators() {
                return List.of(new SpeculatorFactory() {
                    public String name() {
                        return name;
                    }

                    public Speculator create(PluginConfig config, SpeculatorContext context) {
                        return new Speculator() {
                            public String name() {
                                return name;
                            }

                            public VerifyMode verifyMode() {
                                return VerifyMode.GREEDY_EXACT;
                            }

                            public int maxTreeSize() {
                                return 16;
                            }

                            public DraftTree propose(SpeculationContext c) {
                                return draft.apply(c);
                            }
                        };
                    }
                });
            }
        };
    }

    static GenerationResult run(Path model, GantryPlugin plugin, String speculator, String prompt, long[] stats) {
        PluginRegistry registry = PluginRegistry.of(List.of(PluginRegistry.discover().plugins().get("baseline"),
                plugin));
        EngineOptions options = EngineOptions.defaults().withThreads(2)
                .withPlugins(PluginSelection.defaults().with(ExtensionPoint.SPECULATOR, speculator));
        try (Engine engine = Engine.open(model, options, registry)) {
            GenerationResult r = engine.generate(GenerationRequest.of(prompt, SamplingParams.greedy(MAX_TOKENS)));
            stats[0] = engine.stats().draftTokens();
            stats[1] = engine.stats().acceptedTokens();
            stats[2] = engine.stats().steps();
            return r;
        }
    }

    @Test
    void everyDraftTreeGivesExactlyTheGreedyOutput() {
        Path model = SharedFiles.stories260K();
        String prompt = "Once upon a time";
        GenerationResult plain;
        try (Engine engine = Engine.open(model, EngineOptions.defaults().withThreads(2))) {
            plain = engine.generate(GenerationRequest.greedy(prompt, MAX_TOKENS));
        }
        int[] expected = concat(plain.promptTokens(), plain.tokens());
        int promptLength = plain.promptTokens().length;

        // (a) the true continuation as a chain of 4 drafts: everything is accepted.
        long[] chain = new long[3];
        GenerationResult a = run(model, plugin("truth", c -> {
            int next = c.committed().length() + 1;
            int n = Math.min(4, Math.min(c.maxTreeSize() - 1, expected.length - next));
            int[] drafts = new int[Math.max(0, n)];
            System.arraycopy(expected, next, drafts, 0, drafts.length);
            return DraftTree.chain(c.pendingToken(), drafts);
        }), "truth", prompt, chain);
        assertArrayEquals(plain.tokens(), a.tokens(), "true chain");
        assertEquals(chain[0], chain[1], "every true draft is accepted");
        assertTrue(chain[2] <= 2 + (MAX_TOKENS + 4) / 5, "5 tokens per step: " + chain[2] + " steps");

        // (b) the truth among wrong branches: wrong siblings first, the truth as the last child at each depth.
        long[] tree = new long[3];
        GenerationResult b = run(model, plugin("hidden", c -> {
            int next = c.committed().length() + 1;
            int[] tokens = new int[1 + 3 * 3];
            int[] parents = new int[tokens.length];
            tokens[0] = c.pendingToken();
            parents[0] = -1;
            int parentOfLevel = 0;
            int node = 1;
            for (int depth = 0; depth < 3; depth++) {
                int truth = next + depth < expected.length ? expected[next + depth] : 7;
                tokens[node] = (truth + 1) % 512;
                tokens[node + 1] = (truth + 2) % 512;
                tokens[node + 2] = truth;
                parents[node] = parents[node + 1] = parents[node + 2] = parentOfLevel;
                parentOfLevel = node + 2;
                node += 3;
            }
            return new DraftTree(tokens, parents, null);
        }), "hidden", prompt, tree);
        assertArrayEquals(plain.tokens(), b.tokens(), "tree with wrong branches");
        assertTrue(tree[1] * 3 <= tree[0], "at most one of three siblings per depth is accepted");
        assertTrue(tree[1] >= (MAX_TOKENS - 4) * 3 / 4 - 3, "most of the true path accepted: " + tree[1]);

        // (c) nonsense: nothing is accepted, one token per step.
        long[] nonsense = new long[3];
        GenerationResult cResult = run(model, plugin("nonsense", c -> DraftTree.chain(c.pendingToken(), 2, 2, 2)),
                "nonsense", prompt, nonsense);
        assertArrayEquals(plain.tokens(), cResult.tokens(), "nonsense drafts");
        assertEquals(0, nonsense[1], "nonsense is never accepted");
    }

    @Test
    void theNgramSpeculatorIsExactAndAcceptsRepeatedText() {
        Path model = SharedFiles.stories260K();
        String prompt = "Lily was sad. Lily was sad. Lily was";
        GenerationResult plain;
        try (Engine engine = Engine.open(model, EngineOptions.defaults().withThreads(2))) {
            plain = engine.generate(GenerationRequest.greedy(prompt, MAX_TOKENS));
        }
        EngineOptions ngram = EngineOptions.defaults().withThreads(2).withPlugins(PluginSelection.fromProperties(
                Map.of("gantry.speculator", "ngram")));
        try (Engine engine = Engine.open(model, ngram)) {
            GenerationResult r = engine.generate(GenerationRequest.greedy(prompt, MAX_TOKENS));
            assertArrayEquals(plain.tokens(), r.tokens());
            assertTrue(engine.stats().draftTokens() > 0, "n-gram drafted");
            assertTrue(engine.stats().acceptedTokens() > 0, "the repeated text was accepted in part");
        }
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
