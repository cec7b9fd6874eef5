package dev.gantry.tck.attention;

import dev.gantry.spi.ReleaseReason;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.Approximation;
import dev.gantry.spi.attention.AttentionBackend;
import dev.gantry.spi.attention.AttentionCall;
import dev.gantry.spi.attention.AttentionPhase;
import dev.gantry.spi.attention.LayerInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attention backend under test, as the engine sees it: every call goes to the plugin's backend, and its
 * output is then compared, query by query and head by head, with {@link ReferenceAttention} over the same keys
 * and values. The output range is filled with NaN before the backend runs, so an element it leaves unwritten
 * shows.
 */
final class RecordingAttention implements AttentionBackend {

    private final AttentionBackend delegate;
    private final double tolerance;
    private final Map<AttentionPhase, long[]> calls = new EnumMap<>(AttentionPhase.class);
    private final Map<AttentionPhase, double[]> maxError = new EnumMap<>(AttentionPhase.class);
    private final List<String> violations = new ArrayList<>();
    private final Set<SequenceId> seen = new LinkedHashSet<>();
    private final Map<SequenceId, List<ReleaseReason>> releases = new LinkedHashMap<>();

    RecordingAttention(AttentionBackend delegate, double tolerance) {
        this.delegate = delegate;
        this.tolerance = tolerance;
        for (AttentionPhase p : AttentionPhase.values()) {
            calls.put(p, new long[1]);
            maxError.put(p, new double[1]);
        }
    }

    AttentionBackend delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Approximation approximation() {
        return delegate.approximation();
    }

    @Override
    public boolean splitsByKvHead() {
        return delegate.splitsByKvHead();
    }

    @Override
    public void attend(AttentionCall call) {
        LayerInfo layer = call.layer();
        // A call split by KV head owns only its heads' output: only those are filled and checked.
        int group = layer.heads() / layer.kvHeads();
        int firstHead = call.kvHeadStart() * group;
        int endHead = call.kvHeadEnd() * group;
        float[] out = call.output();
        for (int i = 0; i < call.queryCount(); i++) {
            int from = call.outputOffset() + (i * layer.heads() + firstHead) * layer.headDim();
            Arrays.fill(out, from, from + (endHead - firstHead) * layer.headDim(), Float.NaN);
        }
        delegate.attend(call);
        double[] reference = ReferenceAttention.attend(call);
        double worst = 0;
        String problem = null;
        int d = layer.headDim();
        for (int i = 0; i < call.queryCount() && problem == null; i++) {
            for (int h = firstHead; h < endHead; h++) {
                int o = (i * layer.heads() + h) * d;
                double diff = 0;
                double norm = 0;
                for (int e = 0; e < d; e++) {
                    float got = out[call.outputOffset() + o + e];
                    if (Float.isNaN(got)) {
                        problem = "left output element " + e + " of query " + i + ", head " + h + " unwritten";
                        break;
                    }
                    diff += (got - reference[o + e]) * (got - reference[o + e]);
                    norm += reference[o + e] * reference[o + e];
                }
                if (problem != null) {
                    break;
                }
                double error = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-6);
                worst = Math.max(worst, error);
                if (error > tolerance) {
                    problem = String.format(java.util.Locale.ROOT, "is %.3g from dense attention (relative) at "
                            + "query %d (position %d), head %d; allowed %.3g", error, i, call.queryPosition(i), h,
                            tolerance);
                    break;
                }
            }
        }
        synchronized (this) {
            seen.add(call.sequence());
            calls.get(call.phase())[0]++;
            double[] m = maxError.get(call.phase());
            m[0] = Math.max(m[0], worst);
            if (problem != null && violations.size() < 1000) {
                violations.add(call.phase() + " call, layer " + layer.index() + ", " + call.sequence() + ": backend '"
                        + delegate.name() + "' " + problem);
            }
        }
    }

    @Override
    public void onKvAppend(LayerInfo layer, SequenceId sequence, int slot, int position, float[] key, float[] value,
                           int offset) {
        delegate.onKvAppend(layer, sequence, slot, position, key, value, offset);
    }

    @Override
    public void onPrefillDone(LayerInfo layer, SequenceId sequence) {
        delegate.onPrefillDone(layer, sequence);
    }

    @Override
    public void onKvTruncated(SequenceId sequence, int fromSlot) {
        delegate.onKvTruncated(sequence, fromSlot);
    }

    @Override
    public void release(SequenceId sequence, ReleaseReason reason) {
        synchronized (this) {
            releases.computeIfAbsent(sequence, k -> new ArrayList<>()).add(reason);
        }
        delegate.release(sequence, reason);
    }

    synchronized AttentionRun.Record snapshot() {
        Map<AttentionPhase, Long> c = new EnumMap<>(AttentionPhase.class);
        Map<AttentionPhase, Double> e = new EnumMap<>(AttentionPhase.class);
        calls.forEach((k, v) -> c.put(k, v[0]));
        maxError.forEach((k, v) -> e.put(k, v[0]));
        Map<SequenceId, List<ReleaseReason>> r = new LinkedHashMap<>();
        releases.forEach((k, v) -> r.put(k, List.copyOf(v)));
        return new AttentionRun.Record(c, e, List.copyOf(violations), Set.copyOf(seen), r);
    }
}
