package dev.gantry.spi.scheduler;

import dev.gantry.spi.SequenceId;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceStateTest {

    static SequenceState state(int prompt, int computed, int generated) {
        return new SequenceState(new SequenceId(1), "m", WorkKind.INFERENCE, SequencePhase.RUNNING, prompt, computed,
                generated, 100, 0, 0, Long.MAX_VALUE, 0, 0, 0);
    }

    @Test
    void prefillCountsTheTokensWithoutKvBesideThePendingOne() {
        assertEquals(10, state(10, 0, 0).tokensToPrefill(), "new");
        assertEquals(4, state(10, 6, 0).tokensToPrefill(), "mid-prefill");
        assertTrue(state(10, 10, 1).isDecoding(), "prompt done, one token pending");
        assertEquals(0, state(10, 14, 5).tokensToPrefill(), "decoding: only the pending token lacks KV");
        assertEquals(14, state(10, 0, 5).tokensToPrefill(), "recomputed after preemption");
        assertFalse(state(10, 0, 5).isDecoding());
    }

    @Test
    void budgetsCountBlocks() {
        KvBudget b = new KvBudget(16, 100, 25, 0, 0, 4096);
        assertEquals(2, b.blocksFor(17));
        assertEquals(1, b.blocksToGrow(1, 17));
        assertEquals(0, b.blocksToGrow(2, 17));
        assertEquals(0.75, b.usage());
    }
}
