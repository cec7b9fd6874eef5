package dev.gantry.spi.speculator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DraftTreeTest {

    @Test
    void chainsAndTreesHaveDepthsFromTheRoot() {
        DraftTree chain = DraftTree.chain(5, 6, 7, 8);
        assertEquals(4, chain.size());
        assertEquals(3, chain.depth(3));
        assertArrayEquals(new int[] {-1, 0, 1, 2}, chain.parents());
        DraftTree tree = new DraftTree(new int[] {5, 6, 9, 7}, new int[] {-1, 0, 0, 1}, null);
        assertEquals(1, tree.depth(2));
        assertEquals(2, tree.depth(3));
        assertEquals(DraftTree.rootOnly(5), new DraftTree(new int[] {5}, new int[] {-1}, null));
    }

    @Test
    void malformedTreesAreRefused() {
        assertEquals("node 0 is the pending token and must have parent -1, has 0", assertThrows(
                IllegalArgumentException.class, () -> new DraftTree(new int[] {1, 2}, new int[] {0, 0}, null))
                .getMessage());
        assertEquals("node 2 has parent 2; a parent must be an earlier node", assertThrows(
                IllegalArgumentException.class, () -> new DraftTree(new int[] {1, 2, 3}, new int[] {-1, 0, 2}, null))
                .getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DraftTree(new int[0], new int[0], null));
        assertThrows(IllegalArgumentException.class,
                () -> new DraftTree(new int[] {1, 2}, new int[] {-1, 0}, new float[1][]));
    }

    @Test
    void treesAreImmutable() {
        int[] tokens = {1, 2};
        DraftTree t = new DraftTree(tokens, new int[] {-1, 0}, null);
        tokens[1] = 99;
        t.tokens()[0] = 42;
        assertArrayEquals(new int[] {1, 2}, t.tokens());
    }

    @Test
    void verifyResultsStartAtTheRoot() {
        assertThrows(IllegalArgumentException.class, () -> new VerifyResult(new int[] {1}, 3, new float[1]));
        assertEquals(2, new VerifyResult(new int[] {0, 1, 3}, 3, new float[3]).acceptedDrafts());
    }
}
