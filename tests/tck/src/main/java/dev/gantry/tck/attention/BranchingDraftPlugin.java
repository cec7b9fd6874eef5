package dev.gantry.tck.attention;

import dev.gantry.spi.GantryPlugin;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.speculator.DraftTree;
import dev.gantry.spi.speculator.SpeculationContext;
import dev.gantry.spi.speculator.Speculator;
import dev.gantry.spi.speculator.SpeculatorContext;
import dev.gantry.spi.speculator.SpeculatorFactory;
import dev.gantry.spi.speculator.TokenHistory;
import dev.gantry.spi.speculator.VerifyMode;

import java.util.List;

/**
 * A kit helper, not a plugin to test: a speculator that proposes a small branching tree every step, so that
 * attention backends see {@code VERIFY} calls with tree masks, and plain {@code DECODE} calls in between: at every
 * even committed length it proposes a tree whose root has two children (the tokens that followed the two most
 * recent earlier occurrences of the pending token, or fixed guesses), each with one child; at odd lengths the
 * root alone. Greedy verification keeps output exact whatever it proposes.
 */
final class BranchingDraftPlugin implements GantryPlugin {

    static final String PLUGIN = "gantry-tck";
    static final String SPECULATOR = "tck-branching";

    @Override
    public String name() {
        return PLUGIN;
    }

    @Override
    public List<SpeculatorFactory> speculators() {
        return List.of(new SpeculatorFactory() {
            @Override
            public String name() {
                return SPECULATOR;
            }

            @Override
            public Speculator create(PluginConfig config, SpeculatorContext context) {
                return new Branching(context.model().vocabularySize());
            }
        });
    }

    private record Branching(int vocabulary) implements Speculator {

        @Override
        public String name() {
            return SPECULATOR;
        }

        @Override
        public VerifyMode verifyMode() {
            return VerifyMode.GREEDY_EXACT;
        }

        @Override
        public int maxTreeSize() {
            return 5;
        }

        @Override
        public DraftTree propose(SpeculationContext context) {
            if (context.maxTreeSize() < 5 || context.committed().length() % 2 == 1) {
                return DraftTree.rootOnly(context.pendingToken());
            }
            TokenHistory h = context.committed();
            int pending = context.pendingToken();
            int[] follow = {-1, -1};
            int found = 0;
            for (int i = h.length() - 2; i >= 0 && found < 2; i--) {
                if (h.tokenAt(i) == pending) {
                    follow[found++] = i + 1;
                }
            }
            int a = follow[0] >= 0 ? h.tokenAt(follow[0]) : (pending + 1) % vocabulary;
            int b = follow[1] >= 0 ? h.tokenAt(follow[1]) : (pending + 2) % vocabulary;
            int a2 = follow[0] >= 0 && follow[0] + 1 < h.length() ? h.tokenAt(follow[0] + 1) : (a + 1) % vocabulary;
            int b2 = follow[1] >= 0 && follow[1] + 1 < h.length() ? h.tokenAt(follow[1] + 1) : (b + 1) % vocabulary;
            return new DraftTree(new int[] {pending, a, b, a2, b2}, new int[] {-1, 0, 0, 1, 2}, null);
        }
    }
}
