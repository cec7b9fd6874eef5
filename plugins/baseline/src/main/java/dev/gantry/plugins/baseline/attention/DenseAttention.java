package dev.gantry.plugins.baseline.attention;

import dev.gantry.spi.attention.Approximation;
import dev.gantry.spi.attention.AttentionBackend;
import dev.gantry.spi.attention.AttentionCall;
import dev.gantry.spi.attention.AttentionMask;
import dev.gantry.spi.attention.KvSequenceView;
import dev.gantry.spi.attention.LayerInfo;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.Locale;

/**
 * Exact softmax attention over every visible slot: the reference every other backend is measured against.
 *
 * <p>For each query and head: scores {@code s_j = scale · q·k_j} over the visible slots, a max-subtracted
 * softmax, then {@code Σ p_j v_j}.
 *
 * <p>How the cache is read: the slots are taken in chunks of {@link #CHUNK}. Per chunk and KV head, keys and
 * values are decoded once through the codec ({@link KvSequenceView#readKey}, {@link KvSequenceView#readValue})
 * into a small per-thread buffer that stays in cache, and every query head of the group (grouped-query
 * attention shares a KV head among several) works from it. Per slot and head the work is a 64-element dot
 * product, so a call through the view for each would cost more than the arithmetic; decoding once per KV head
 * makes it two calls per slot and lets the arithmetic run in vector kernels here. The softmax runs online
 * across chunks, as in FlashAttention: each head keeps its running maximum and sum and rescales its output
 * when the maximum grows, so the result equals the max-subtracted softmax up to float rounding. Buffers are
 * kept per thread, so steady-state decoding allocates nothing.
 *
 * <p>The kernels use the Vector API when it is available (the {@code jdk.incubator.vector} module is present
 * and {@code -Dgantry.vector} is not {@code off}; a width of 128, 256 or 512 may be forced the same way as for
 * the engine), plain loops otherwise; the two agree up to float rounding.
 *
 * <p>Calls may be {@linkplain #splitsByKvHead() split by KV head}: a single long sequence's decode then reads
 * its cache on every compute thread instead of one.
 */
public final class DenseAttention implements AttentionBackend {

    /** Slots per chunk: a chunk's F32 keys and values for one head of 64 take 64 KiB. */
    static final int CHUNK = 128;

    /** Whether the Vector API kernels run. */
    static final boolean VECTOR = !System.getProperty("gantry.vector", "auto").trim().equalsIgnoreCase("off")
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    @Override
    public String name() {
        return "dense";
    }

    @Override
    public Approximation approximation() {
        return Approximation.EXACT;
    }

    /** Heads are independent and the buffers are per thread, so disjoint head ranges may run at once. */
    @Override
    public boolean splitsByKvHead() {
        return true;
    }

    @Override
    public void attend(AttentionCall call) {
        LayerInfo layer = call.layer();
        KvSequenceView kv = call.kv();
        AttentionMask mask = call.mask();
        int heads = layer.heads();
        int headDim = layer.headDim();
        int group = heads / layer.kvHeads();
        float scale = call.scale();
        float[] q = call.queries();
        float[] out = call.output();
        boolean causal = mask instanceof AttentionMask.Causal;
        int queries = call.queryCount();
        int slots = 0;
        for (int i = 0; i < queries; i++) {
            slots = Math.max(slots, mask.end(i));
        }
        Buffers b = BUFFERS.get().ensure(headDim, queries * heads);
        float[] keys = b.keys;
        float[] values = b.values;
        float[] scores = b.scores;
        float[] max = b.max;
        float[] sum = b.sum;
        // A split call computes only its KV heads' query heads.
        int kvFrom = call.kvHeadStart();
        int kvTo = call.kvHeadEnd();
        // Running state per query and head; the output heads accumulate in place.
        for (int i = 0; i < queries; i++) {
            for (int h = kvFrom * group; h < kvTo * group; h++) {
                max[i * heads + h] = Float.NEGATIVE_INFINITY;
                sum[i * heads + h] = 0f;
                int oOff = call.outputOffset() + (i * heads + h) * headDim;
                Arrays.fill(out, oOff, oOff + headDim, 0f);
            }
        }
        for (int g = kvFrom; g < kvTo; g++) {
            for (int c0 = 0; c0 < slots; c0 += CHUNK) {
                int c1 = Math.min(slots, c0 + CHUNK);
                for (int s = c0; s < c1; s++) {
                    kv.readKey(s, g, keys, (s - c0) * headDim);
                    kv.readValue(s, g, values, (s - c0) * headDim);
                }
                for (int i = 0; i < queries; i++) {
                    int n = Math.min(c1, mask.end(i)) - c0;
                    if (n <= 0) {
                        continue;
                    }
                    for (int h = g * group; h < (g + 1) * group; h++) {
                        int state = i * heads + h;
                        int qOff = call.queriesOffset() + state * headDim;
                        int oOff = call.outputOffset() + state * headDim;
                        scores(q, qOff, keys, headDim, n, scale, scores);
                        if (!causal) {
                            for (int s = 0; s < n; s++) {
                                if (!mask.visible(i, c0 + s)) {
                                    scores[s] = Float.NEGATIVE_INFINITY;
                                }
                            }
                        }
                        float chunkMax = max(scores, n);
                        if (chunkMax == Float.NEGATIVE_INFINITY) {
                            continue;
                        }
                        if (chunkMax > max[state]) {
                            // Rescale what was summed under the old maximum (exp(−∞) = 0 the first time).
                            float rescale = (float) Math.exp(max[state] - chunkMax);
                            sum[state] *= rescale;
                            scaleInPlace(out, oOff, headDim, rescale);
                            max[state] = chunkMax;
                        }
                        sum[state] += exponentiate(scores, n, max[state]);
                        accumulate(scores, n, values, headDim, out, oOff);
                    }
                }
            }
        }
        for (int i = 0; i < queries; i++) {
            for (int h = kvFrom * group; h < kvTo * group; h++) {
                int oOff = call.outputOffset() + (i * heads + h) * headDim;
                scaleInPlace(out, oOff, headDim, 1f / sum[i * heads + h]);
            }
        }
    }

    /** {@code scores[s] = scale · q·keys[s]} for {@code s < n}. */
    private static void scores(float[] q, int qOff, float[] keys, int headDim, int n, float scale, float[] scores) {
        int s = 0;
        if (VECTOR && headDim % Simd.LANES == 0) {
            s = n & ~3;
            Simd.scores4(q, qOff, keys, headDim, s, scale, scores);
        }
        for (; s < n; s++) {
            float dot = 0f;
            for (int d = 0; d < headDim; d++) {
                dot += q[qOff + d] * keys[s * headDim + d];
            }
            scores[s] = dot * scale;
        }
    }

    private static float max(float[] x, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (VECTOR) {
            i = Simd.F.loopBound(n);
            m = Simd.max(x, i);
        }
        for (; i < n; i++) {
            m = Math.max(m, x[i]);
        }
        return m;
    }

    /** {@code x[s] = exp(x[s] − max)} for {@code s < n} (masked slots, {@code −∞}, become 0); returns the sum. */
    private static float exponentiate(float[] x, int n, float max) {
        int i = 0;
        float sum = 0f;
        if (VECTOR) {
            i = Simd.F.loopBound(n);
            sum = Simd.exponentiate(x, i, max);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        return sum;
    }

    private static void scaleInPlace(float[] x, int off, int n, float factor) {
        for (int i = 0; i < n; i++) {
            x[off + i] *= factor;
        }
    }

    /** {@code out[oOff + d] += Σ_s p[s] · values[s·headDim + d]} for {@code s < n}. */
    private static void accumulate(float[] p, int n, float[] values, int headDim, float[] out, int oOff) {
        int d = 0;
        if (VECTOR) {
            d = Simd.LANES * (headDim / Simd.LANES);
            Simd.accumulate(p, n, values, headDim, d, out, oOff);
        }
        for (int s = 0; s < n && d < headDim; s++) {
            float w = p[s];
            for (int k = d; k < headDim; k++) {
                out[oOff + k] += w * values[s * headDim + k];
            }
        }
    }

    /** One thread's decoded chunk of keys and values, chunk scores and running softmax state. */
    private static final class Buffers {
        float[] keys = new float[0];
        float[] values = new float[0];
        final float[] scores = new float[CHUNK];
        float[] max = new float[0];
        float[] sum = new float[0];

        Buffers ensure(int headDim, int states) {
            if (keys.length < CHUNK * headDim) {
                keys = new float[CHUNK * headDim];
                values = new float[CHUNK * headDim];
            }
            if (max.length < states) {
                max = new float[Math.max(states, max.length * 2)];
                sum = new float[max.length];
            }
            return this;
        }
    }

    /** The vector kernels, in their own class so that it is only loaded when {@link #VECTOR} holds. */
    private static final class Simd {
        static final VectorSpecies<Float> F = species();
        static final int LANES = F.length();

        private static VectorSpecies<Float> species() {
            String width = System.getProperty("gantry.vector", "auto").trim().toLowerCase(Locale.ROOT);
            return switch (width) {
                case "128", "256", "512" -> VectorSpecies.of(float.class,
                        VectorShape.forBitSize(Integer.parseInt(width)));
                default -> FloatVector.SPECIES_PREFERRED;
            };
        }

        /**
         * {@code scores[s] = scale · q·keys[s]} for {@code s < n}, {@code n} a multiple of 4 and {@code headDim} of
         * {@link #LANES}: four slots at a time, each with its own accumulator, so each load of the query feeds
         * four independent multiply-adds.
         */
        static void scores4(float[] q, int qOff, float[] keys, int headDim, int n, float scale, float[] scores) {
            for (int s = 0; s < n; s += 4) {
                int k0 = s * headDim;
                FloatVector a0 = FloatVector.zero(F);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                for (int d = 0; d < headDim; d += LANES) {
                    FloatVector qv = FloatVector.fromArray(F, q, qOff + d);
                    a0 = FloatVector.fromArray(F, keys, k0 + d).fma(qv, a0);
                    a1 = FloatVector.fromArray(F, keys, k0 + headDim + d).fma(qv, a1);
                    a2 = FloatVector.fromArray(F, keys, k0 + 2 * headDim + d).fma(qv, a2);
                    a3 = FloatVector.fromArray(F, keys, k0 + 3 * headDim + d).fma(qv, a3);
                }
                scores[s] = a0.reduceLanes(VectorOperators.ADD) * scale;
                scores[s + 1] = a1.reduceLanes(VectorOperators.ADD) * scale;
                scores[s + 2] = a2.reduceLanes(VectorOperators.ADD) * scale;
                scores[s + 3] = a3.reduceLanes(VectorOperators.ADD) * scale;
            }
        }

        /** The largest of {@code x[0 .. n)}, {@code n} a multiple of {@link #LANES}. */
        static float max(float[] x, int n) {
            FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < n; i += LANES) {
                m = m.max(FloatVector.fromArray(F, x, i));
            }
            return m.reduceLanes(VectorOperators.MAX);
        }

        /** {@code x[i] = exp(x[i] − max)} over {@code n}, a multiple of {@link #LANES}; returns the sum. */
        static float exponentiate(float[] x, int n, float max) {
            FloatVector sum = FloatVector.zero(F);
            for (int i = 0; i < n; i += LANES) {
                FloatVector e = FloatVector.fromArray(F, x, i).sub(max).lanewise(VectorOperators.EXP);
                e.intoArray(x, i);
                sum = sum.add(e);
            }
            return sum.reduceLanes(VectorOperators.ADD);
        }

        /**
         * {@code out[oOff + d] += Σ_s p[s] · values[s·headDim + d]} for {@code d < dims} (a multiple of
         * {@link #LANES}): up to four lane-groups of the head at a time, each sum in its own register over the
         * chunk's slots, so the multiply-adds of one slot do not wait for each other.
         */
        static void accumulate(float[] p, int n, float[] values, int headDim, int dims, float[] out, int oOff) {
            int d = 0;
            for (; d + 4 * LANES <= dims; d += 4 * LANES) {
                FloatVector a0 = FloatVector.fromArray(F, out, oOff + d);
                FloatVector a1 = FloatVector.fromArray(F, out, oOff + d + LANES);
                FloatVector a2 = FloatVector.fromArray(F, out, oOff + d + 2 * LANES);
                FloatVector a3 = FloatVector.fromArray(F, out, oOff + d + 3 * LANES);
                for (int s = 0; s < n; s++) {
                    FloatVector w = FloatVector.broadcast(F, p[s]);
                    int v = s * headDim + d;
                    a0 = FloatVector.fromArray(F, values, v).fma(w, a0);
                    a1 = FloatVector.fromArray(F, values, v + LANES).fma(w, a1);
                    a2 = FloatVector.fromArray(F, values, v + 2 * LANES).fma(w, a2);
                    a3 = FloatVector.fromArray(F, values, v + 3 * LANES).fma(w, a3);
                }
                a0.intoArray(out, oOff + d);
                a1.intoArray(out, oOff + d + LANES);
                a2.intoArray(out, oOff + d + 2 * LANES);
                a3.intoArray(out, oOff + d + 3 * LANES);
            }
            for (; d < dims; d += LANES) {
                FloatVector acc = FloatVector.fromArray(F, out, oOff + d);
                for (int s = 0; s < n; s++) {
                    acc = FloatVector.fromArray(F, values, s * headDim + d).fma(FloatVector.broadcast(F, p[s]), acc);
                }
                acc.intoArray(out, oOff + d);
            }
        }
    }
}
