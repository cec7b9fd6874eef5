package dev.gantry.tck.kv;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the kit found storing samples with the codec under test, outside the engine: broken rules by kind, the
 * largest round-trip error, and declared against stored bytes per token for each layout and sample set.
 */
public final class KVCodecReport {

    /** The rules the storage checks apply. */
    public enum Kind {
        /** The spec itself: null, or an encode group that does not divide the block. */
        DECLARATION,
        /** Bytes: writes outside the declared block, or fewer bytes stored than declared. */
        STORAGE,
        /** Decoded keys or values further from the stored ones than declared (bit-exact when lossless). */
        ROUND_TRIP,
        /** {@code dotKey} or {@code accumulateValue} disagreeing with decoding. */
        FUSED_READS,
        /** {@code decodeKeys} or {@code decodeValues} disagreeing with decoding slot by slot. */
        RANGE_READS,
        /** {@code copySlot} producing a slot that decodes differently. */
        COPY
    }

    private final String label;
    private final Map<Kind, List<String>> violations = new EnumMap<>(Kind.class);
    private final Map<String, double[]> storage = new LinkedHashMap<>();
    private double maxRoundTripError;

    KVCodecReport(String label) {
        this.label = label;
        for (Kind k : Kind.values()) {
            violations.put(k, new ArrayList<>());
        }
    }

    void add(Kind kind, String message) {
        List<String> list = violations.get(kind);
        if (list.size() < 100) {
            list.add(message);
        }
    }

    void storage(String where, int declaredBytesPerToken, double storedBytesPerToken) {
        storage.put(where, new double[] {declaredBytesPerToken, storedBytesPerToken});
    }

    void roundTrip(double error) {
        maxRoundTripError = Math.max(maxRoundTripError, error);
    }

    /** What was checked, for messages. */
    public String label() {
        return label;
    }

    /** The broken rules of one kind. */
    public List<String> violations(Kind kind) {
        return List.copyOf(violations.get(kind));
    }

    /** The largest relative round-trip error seen. */
    public double maxRoundTripError() {
        return maxRoundTripError;
    }

    /** Per layout and sample set: {declared, stored} bytes per token. */
    public Map<String, double[]> storage() {
        return Map.copyOf(storage);
    }

    /** Fails when any rule of these kinds was broken. */
    public KVCodecReport assertNo(Kind... kinds) {
        List<String> found = new ArrayList<>();
        for (Kind k : kinds) {
            found.addAll(violations.get(k));
        }
        if (!found.isEmpty()) {
            fail(label + ": " + found.size() + " problem(s), first: " + found.stream().limit(3)
                    .collect(Collectors.joining("; ")));
        }
        return this;
    }

    @Override
    public String toString() {
        return label;
    }
}
