package dev.gantry.engine.loop;

import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.sample.FinishReason;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.engine.testing.SharedFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streaming, cancellation, the bounded queue and each sampling parameter's effect, through the real loop. */
class RequestLifecycleTest {

    static Engine engine;

    @BeforeAll
    static void open() {
        engine = Engine.open(SharedFiles.stories260K(), EngineOptions.defaults().withThreads(2));
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    static GenerationResult run(String prompt, SamplingParams p) {
        return engine.generate(GenerationRequest.of(prompt, p));
    }

    static SamplingParams.Builder params(int maxTokens) {
        return SamplingParams.builder().maxTokens(maxTokens).temperature(0f);
    }

    @Test
    void theStreamCarriesEveryTokenThenOneFinishedEvent() throws Exception {
        TokenStream stream = engine.submit(GenerationRequest.greedy("Once upon a time", 20));
        List<TokenEvent> events = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        stream.subscribe(new Flow.Subscriber<>() {
            Flow.Subscription sub;

            public void onSubscribe(Flow.Subscription s) {
                sub = s;
                s.request(1);
            }

            public void onNext(TokenEvent e) {
                events.add(e);
                sub.request(1);
            }

            public void onError(Throwable t) {
                done.countDown();
            }

            public void onComplete() {
                done.countDown();
            }
        });
        assertTrue(done.await(30, TimeUnit.SECONDS));
        GenerationResult r = stream.result().join();
        StringBuilder text = new StringBuilder();
        List<Integer> ids = new ArrayList<>();
        for (TokenEvent e : events.subList(0, events.size() - 1)) {
            TokenEvent.Delta d = assertInstanceOf(TokenEvent.Delta.class, e);
            text.append(d.text());
            for (int t : d.tokenIds()) {
                ids.add(t);
            }
        }
        TokenEvent.Finished f = assertInstanceOf(TokenEvent.Finished.class, events.get(events.size() - 1));
        assertEquals(FinishReason.LENGTH, f.reason());
        assertEquals(new Usage(5, 20, 0).totalTokens(), f.usage().totalTokens());
        assertEquals(r.text(), text.toString());
        assertArrayEquals(r.tokens(), ids.stream().mapToInt(Integer::intValue).toArray());
        assertTrue(r.queueNanos() >= 0 && r.queueNanos() <= r.timeToFirstTokenNanos()
                && r.timeToFirstTokenNanos() <= r.totalNanos(), "queue ≤ first token ≤ end");
    }

    @Test
    void cancellingStopsGenerationAndFreesItsBlocks() throws Exception {
        TokenStream stream = engine.submit(GenerationRequest.of("Once upon a time",
                params(1000).ignoreEos(true).build()));
        while (engine.stats().running() == 0 && !stream.result().isDone()) {
            Thread.sleep(1);
        }
        stream.cancel();
        GenerationResult r = stream.result().get(30, TimeUnit.SECONDS);
        assertEquals(FinishReason.CANCELLED, r.finishReason());
        assertTrue(r.tokens().length < 1000, "cancelled before the end");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engine.stats().running() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, engine.stats().running());
        assertEquals(0.0, engine.stats().kvUsage(), 1e-9, "every block released (cached prefix blocks are free)");
    }

    @Test
    void aFullQueueRefusesNewRequestsClearly() {
        try (Engine small = Engine.open(SharedFiles.stories260K(),
                EngineOptions.defaults().withThreads(1).withMaxWaiting(3))) {
            List<GenerationRequest> four = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                four.add(GenerationRequest.greedy("Once", 5));
            }
            QueueFullException e = assertThrows(QueueFullException.class, () -> small.submitAll(four));
            assertEquals("the waiting queue is full (3 requests); retry later", e.getMessage());
            assertEquals(3, small.generateAll(four.subList(0, 3)).size(), "nothing was kept of the refused batch");
        }
    }

    @Test
    void samplingParametersHaveTheirEffect() {
        int[] greedy = run("Once upon a time", params(24).build()).tokens();
        assertArrayEquals(greedy, run("Once upon a time", params(24).temperature(1f).topK(1).seed(3L).build())
                .tokens(), "top-k 1 is greedy");
        GenerationResult a = run("Once upon a time", params(24).temperature(1f).seed(11L).build());
        GenerationResult b = run("Once upon a time", params(24).temperature(1f).seed(11L).build());
        GenerationResult c = run("Once upon a time", params(24).temperature(1f).seed(12L).build());
        assertArrayEquals(a.tokens(), b.tokens(), "a fixed seed repeats");
        assertFalse(java.util.Arrays.equals(a.tokens(), c.tokens()), "another seed samples differently");

        GenerationResult stopped = run("Once upon a time", params(48).stop("park").build());
        assertEquals(FinishReason.STOP, stopped.finishReason());
        assertEquals(", there was a little girl named Lily. She loved to play outside in the ", stopped.text());

        int[] greedy64 = run("Once upon a time", params(64).build()).tokens();
        GenerationResult penalised = run("Once upon a time", params(64).repetitionPenalty(2f).build());
        assertFalse(java.util.Arrays.equals(greedy64, penalised.tokens()), "a repetition penalty changes greedy output");

        GenerationResult withLogprobs = run("Once upon a time", params(4).logprobs(3).build());
        assertEquals(4, withLogprobs.logprobs().size());
        TokenLogprob first = withLogprobs.logprobs().get(0);
        assertEquals(432, first.token());
        assertEquals(Math.log(0.9687944162691027), first.logprob(), 1e-3, "the reference model's probability");
        assertEquals(3, first.topIds().length);
        assertEquals(383, first.topIds()[1]);
    }

    @Test
    void seededRequestsAreUnaffectedByTheirNeighbours() {
        SamplingParams seeded = params(30).temperature(0.9f).topP(0.95f).seed(5L).build();
        int[] alone = run("The little dog", seeded).tokens();
        List<GenerationRequest> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(GenerationRequest.of("Once upon a time " + i, params(30).temperature(1f).seed((long) i)
                    .build()));
        }
        batch.add(2, GenerationRequest.of("The little dog", seeded));
        assertArrayEquals(alone, engine.generateAll(batch).get(2).tokens());
        assertNotEquals(0, alone.length);
    }
}
