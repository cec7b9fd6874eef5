package dev.gantry.engine.sample;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopStringMatcherTest {

    @Test
    void aStopStringSplitAcrossDeltasIsFoundAndNotEmitted() {
        StopStringMatcher m = new StopStringMatcher(List.of("END"));
        StopStringMatcher.Emission first = m.feed("and that was the E");
        assertEquals("and that was the ", first.text(), "the E might start END: held back");
        assertFalse(first.stopped());
        StopStringMatcher.Emission second = m.feed("ND of it");
        assertTrue(second.stopped());
        assertEquals("", second.text());
        assertEquals("END", second.stopString());
        assertEquals("", m.feed("more").text(), "nothing after a stop");
    }

    @Test
    void heldTextIsReleasedWhenItStopsLookingLikeAStop() {
        StopStringMatcher m = new StopStringMatcher(List.of("END"));
        assertEquals("the ", m.feed("the E").text());
        assertEquals("Eagle", m.feed("agle").text());
        assertEquals("", m.heldText());
        assertEquals(" ", m.feed(" EN").text());
        assertEquals("EN", m.heldText());
        assertEquals("EN", m.flush());
    }

    @Test
    void theEarliestOfOverlappingCandidatesWins() {
        StopStringMatcher m = new StopStringMatcher(List.of("abcd", "bcx", "cx"));
        StopStringMatcher.Emission e = m.feed("zab");
        assertEquals("z", e.text(), "ab could start abcd");
        e = m.feed("c");
        assertEquals("", e.text(), "abc could still be abcd, bc could be bcx");
        e = m.feed("x!");
        assertTrue(e.stopped());
        assertEquals("a", e.text());
        assertEquals("bcx", e.stopString(), "bcx starts before cx");
    }

    @Test
    void aLaterPartialMatchIsHeldWhileAnEarlierOneFails() {
        StopStringMatcher m = new StopStringMatcher(List.of("aab"));
        assertEquals("", m.feed("a").text());
        assertEquals("", m.feed("a").text());
        assertEquals("a", m.feed("a").text(), "aaa: the last two can still start aab");
        StopStringMatcher.Emission e = m.feed("b");
        assertTrue(e.stopped());
        assertEquals("", e.text());
    }

    @Test
    void aStopStringAtTheVeryStartEmitsNothing() {
        StopStringMatcher m = new StopStringMatcher(List.of("###"));
        StopStringMatcher.Emission e = m.feed("### and more");
        assertTrue(e.stopped());
        assertEquals("", e.text());
        assertEquals("", m.flush());
    }

    @Test
    void aMatchInsideOneDeltaKeepsTheTextBefore() {
        StopStringMatcher m = new StopStringMatcher(List.of("\n\n", "User:"));
        assertEquals("Hi", m.feed("Hi").text());
        StopStringMatcher.Emission e = m.feed(" there\n\nUser: x");
        assertEquals(" there", e.text());
        assertEquals("\n\n", e.stopString());
    }

    @Test
    void flushReleasesHeldTextAtTheEnd() {
        StopStringMatcher m = new StopStringMatcher(List.of("<|end|>"));
        assertEquals("answer ", m.feed("answer <|e").text());
        assertEquals("<|e", m.flush());
        assertEquals("", m.flush());
    }

    @Test
    void emptyStopStringsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StopStringMatcher(List.of("")));
    }
}
