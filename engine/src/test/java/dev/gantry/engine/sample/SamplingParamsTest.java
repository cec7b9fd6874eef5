package dev.gantry.engine.sample;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplingParamsTest {

    @Test
    void defaultsAreVllms() {
        SamplingParams p = SamplingParams.builder().build();
        assertEquals(1f, p.temperature());
        assertEquals(0, p.topK());
        assertEquals(1f, p.topP());
        assertEquals(0f, p.minP());
        assertEquals(1f, p.repetitionPenalty());
        assertEquals(16, p.maxTokens());
        assertNull(p.seed());
        assertNull(p.logprobs());
        assertFalse(p.hasPenalties());
        assertFalse(p.isGreedy());
        assertTrue(SamplingParams.greedy(5).isGreedy());
        assertEquals(5, SamplingParams.greedy(5).maxTokens());
        assertTrue(SamplingParams.builder().temperature(1e-6f).build().isGreedy(), "vLLM's threshold");
    }

    @Test
    void topKMinusOneMeansOff() {
        assertEquals(0, SamplingParams.builder().topK(-1).build().topK());
    }

    @Test
    void badValuesAreRefusedNamingTheField() {
        assertMessage("top_p must be in (0, 1], was 1.5", SamplingParams.builder().topP(1.5f));
        assertMessage("top_p must be in (0, 1], was 0.0", SamplingParams.builder().topP(0f));
        assertMessage("temperature", SamplingParams.builder().temperature(-1f));
        assertMessage("temperature", SamplingParams.builder().temperature(Float.NaN));
        assertMessage("top_k", SamplingParams.builder().topK(-2));
        assertMessage("min_p", SamplingParams.builder().minP(1.5f));
        assertMessage("repetition_penalty", SamplingParams.builder().repetitionPenalty(0f));
        assertMessage("presence_penalty", SamplingParams.builder().presencePenalty(2.5f));
        assertMessage("frequency_penalty", SamplingParams.builder().frequencyPenalty(-3f));
        assertMessage("max_tokens", SamplingParams.builder().maxTokens(0));
        assertMessage("min_tokens", SamplingParams.builder().maxTokens(4).minTokens(5));
        assertMessage("min_tokens", SamplingParams.builder().minTokens(-1));
        assertMessage("logprobs", SamplingParams.builder().logprobs(-1));
        assertMessage("stop", SamplingParams.builder().stop(""));
        assertMessage("stop_token_ids", SamplingParams.builder().stopTokenIds(-4));
    }

    @Test
    void listsAreCopiedAndToBuilderRoundTrips() {
        SamplingParams p = SamplingParams.builder().stop(List.of("a", "b")).stopTokenIds(3, 4).seed(9L)
                .logprobs(2).minTokens(1).build();
        assertEquals(List.of("a", "b"), p.stop());
        assertEquals(List.of(3, 4), p.stopTokenIds());
        assertThrows(UnsupportedOperationException.class, () -> p.stop().add("c"));
        assertEquals(p, p.toBuilder().build());
    }

    private static void assertMessage(String expected, SamplingParams.Builder b) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
