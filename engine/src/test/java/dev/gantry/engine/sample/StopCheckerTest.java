package dev.gantry.engine.sample;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopCheckerTest {

    private static final int EOS = 2;
    private static final int[] EOS_IDS = {EOS};

    @Test
    void eosStopsUnlessIgnoredAndItsTextIsNotEmitted() {
        StopChecker c = new StopChecker(SamplingParams.builder().maxTokens(10).build(), EOS_IDS);
        assertFalse(c.check(5, "a", 1).finished());
        StopChecker.Decision d = c.check(EOS, "", 2);
        assertEquals(FinishReason.STOP, d.finishReason());
        assertEquals(-1, d.stopTokenId());
        assertNull(d.stopString());

        StopChecker ignoring = new StopChecker(SamplingParams.builder().ignoreEos(true).maxTokens(10).build(), EOS_IDS);
        assertFalse(ignoring.check(EOS, "", 2).finished());
    }

    @Test
    void stopTokenIdsStopAndAreReported() {
        StopChecker c = new StopChecker(SamplingParams.builder().stopTokenIds(7).build(), EOS_IDS);
        StopChecker.Decision d = c.check(7, ".", 1);
        assertEquals(FinishReason.STOP, d.finishReason());
        assertEquals(7, d.stopTokenId());
        assertEquals("", d.text(), "the stop token's text is not emitted");
    }

    @Test
    void maxTokensEndsWithLengthAndReleasesHeldText() {
        StopChecker c = new StopChecker(SamplingParams.builder().maxTokens(2).stop("END").build(), EOS_IDS);
        assertEquals("x ", c.check(5, "x E", 1).text());
        StopChecker.Decision d = c.check(6, "N", 2);
        assertEquals(FinishReason.LENGTH, d.finishReason());
        assertEquals("EN", d.text());
    }

    @Test
    void aStopStringBeatsTheLengthLimitOnTheSameToken() {
        StopChecker c = new StopChecker(SamplingParams.builder().maxTokens(2).stop("END").build(), EOS_IDS);
        c.check(5, "the E", 1);
        StopChecker.Decision d = c.check(6, "ND", 2);
        assertEquals(FinishReason.STOP, d.finishReason());
        assertEquals("END", d.stopString());
        assertEquals("", d.text());
    }

    @Test
    void nothingStopsBeforeMinTokens() {
        StopChecker c = new StopChecker(SamplingParams.builder().minTokens(2).maxTokens(9).stop("e")
                .stopTokenIds(7).build(), EOS_IDS);
        StopChecker.Decision first = c.check(EOS, "", 1);
        assertFalse(first.finished());
        StopChecker.Decision second = c.check(5, "Lee", 2);
        assertFalse(second.finished());
        assertEquals("Lee", second.text(), "stop strings are looked for only after min_tokens");
        StopChecker.Decision third = c.check(5, "stude", 3);
        assertTrue(third.finished());
        assertEquals("stud", third.text());
        StopChecker.Decision idAfter = new StopChecker(SamplingParams.builder().minTokens(1).stopTokenIds(7).build(),
                EOS_IDS).check(7, "", 2);
        assertEquals(7, idAfter.stopTokenId());
    }

    @Test
    void eosReleasesTextHeldForAStopString() {
        StopChecker c = new StopChecker(SamplingParams.builder().stop("END").build(), EOS_IDS);
        assertEquals("so ", c.check(5, "so EN", 1).text());
        StopChecker.Decision d = c.check(EOS, "", 2);
        assertEquals(FinishReason.STOP, d.finishReason());
        assertEquals("EN", d.text());
        assertEquals("stop", d.finishReason().wireName());
    }
}
