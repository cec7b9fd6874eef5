package dev.gantry.spi.attention;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttentionMaskTest {

    @Test
    void causalQueriesSeeTheirOwnSlotAndEverythingBefore() {
        AttentionMask m = new AttentionMask.Causal(10);
        assertTrue(m.visible(0, 10));
        assertFalse(m.visible(0, 11));
        assertTrue(m.visible(2, 12));
        assertEquals(13, m.end(2));
    }

    @Test
    void treeNodesSeeTheCommittedPrefixAndTheirAncestorsOnly() {
        // root 0 → {1, 2}; 1 → 3
        AttentionMask m = new AttentionMask.Tree(4, new int[] {-1, 0, 0, 1});
        assertTrue(m.visible(3, 0) && m.visible(3, 3), "committed slots");
        assertTrue(m.visible(3, 4) && m.visible(3, 5) && m.visible(3, 7), "root, parent and self");
        assertFalse(m.visible(3, 6), "a sibling branch");
        assertFalse(m.visible(1, 6), "a later sibling");
        assertFalse(m.visible(0, 5), "the root does not see its children");
        assertEquals(8, m.end(3));
    }
}
