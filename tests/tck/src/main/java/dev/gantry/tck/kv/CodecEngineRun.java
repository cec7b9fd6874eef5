package dev.gantry.tck.kv;

import dev.gantry.tck.internal.EngineSession.Completion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Greedy generation in the real engine with the codec under test, beside the same requests stored by the
 * lossless {@code f32} codec.
 */
public final class CodecEngineRun {

    private final String label;
    private final List<Completion> tested;
    private final List<Completion> reference;
    private final Map<Integer, KvSamples> captured;

    CodecEngineRun(String label, List<Completion> tested, List<Completion> reference,
                   Map<Integer, KvSamples> captured) {
        this.label = label;
        this.tested = List.copyOf(tested);
        this.reference = List.copyOf(reference);
        this.captured = Map.copyOf(captured);
    }

    /** What ran, for messages. */
    public String label() {
        return label;
    }

    /** Each request's end with the codec under test. */
    public List<Completion> tested() {
        return tested;
    }

    /** Each request's end with {@code f32}. */
    public List<Completion> reference() {
        return reference;
    }

    Map<Integer, KvSamples> captured() {
        return captured;
    }

    /** Fails unless every request ended with all its tokens. */
    public CodecEngineRun assertEveryRequestFinished() {
        for (Completion c : tested) {
            if (!c.succeeded()) {
                fail(label + ": request " + c.sequence() + " failed: " + c.failure());
            }
        }
        return this;
    }

    /** Fails unless every request generated exactly the tokens it generates with {@code f32}. */
    public CodecEngineRun assertSameTokensAsF32() {
        assertEveryRequestFinished();
        List<Integer> differing = new ArrayList<>();
        for (int i = 0; i < tested.size(); i++) {
            if (!Arrays.equals(tested.get(i).tokens(), reference.get(i).tokens())) {
                differing.add(i);
            }
        }
        if (!differing.isEmpty()) {
            fail(label + ": a lossless codec must give exactly the f32 codec's greedy output; requests " + differing
                    + " differ");
        }
        return this;
    }
}
