package dev.gantry.plugins.baseline.speculator;

import dev.gantry.spi.SequenceId;
import dev.gantry.spi.speculator.DraftTree;
import dev.gantry.spi.speculator.SamplingView;
import dev.gantry.spi.speculator.SpeculationContext;
import dev.gantry.spi.speculator.TargetView;
import dev.gantry.spi.speculator.TokenHistory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NgramSpeculatorTest {

    record History(int[] tokens) implements TokenHistory {
        public int length() {
            return tokens.length;
        }

        public int tokenAt(int i) {
            return tokens[i];
        }

        public int promptLength() {
            return tokens.length;
        }
    }

    static SpeculationContext context(int pending, int maxTree, int... committed) {
        return new SpeculationContext() {
            public SequenceId sequence() {
                return new SequenceId(1);
            }

            public TokenHistory committed() {
                return new History(committed);
            }

            public int pendingToken() {
                return pending;
            }

            public int maxTreeSize() {
                return maxTree;
            }

            public SamplingView sampling() {
                return new SamplingView(0, 1, 0);
            }

            public TargetView target() {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void draftsWhatFollowedTheLatestEarlierMatchOfTheLongestSuffix() {
        NgramSpeculator s = new NgramSpeculator(1, 3, 4);
        // history: 5 6 7 8 9 | 1 5 6 7 2 3 | 5 6, pending 7 → suffix "5 6 7" last seen at index 6, followed by 2 3 5 6
        DraftTree t = s.propose(context(7, 16, 5, 6, 7, 8, 9, 1, 5, 6, 7, 2, 3, 5, 6));
        assertEquals(DraftTree.chain(7, 2, 3, 5, 6), t);
    }

    @Test
    void fallsBackToShorterSuffixesThenToNothing() {
        NgramSpeculator s = new NgramSpeculator(1, 3, 2);
        assertEquals(DraftTree.chain(4, 9, 2), s.propose(context(4, 16, 1, 4, 9, 2)), "unigram match of 4");
        assertEquals(DraftTree.rootOnly(42), s.propose(context(42, 16, 1, 2, 3)), "no match");
        assertEquals(DraftTree.chain(1, 2), s.propose(context(1, 2, 1, 2, 3)), "the tree budget caps the chain");
        assertEquals(DraftTree.rootOnly(1), s.propose(context(1, 1, 1, 2, 3)), "no room for drafts");
    }
}
