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
 * <p>How the cache is read: the slots are taken in chunks of {@link #CHUNK}. Per chunk and KV head, keys and values
 * are decoded once through the codec ({@link KvSequenceView#readKeys}, {@link KvSequenceView#readValues}) into a
 * small per-thread buffer that stays in cache, and every query head of the group (grouped-query attention shares a
 * KV head among several) works from it. Per slot and head the work is a 64-element dot product, so a call through
 * the view for each would cost more than the arithmetic; the range reads make it one codec call per block, which
 * the plain codecs serve from contiguous memory. The arithmetic runs in vector kernels here that take four query
 * heads of a group at once, so that each key or value loaded from the buffer feeds four heads' multiply-adds: taken
 * head by head, the loads from the buffer, not the arithmetic, set the pace. The softmax runs online across chunks,
 * as in FlashAttention: each head keeps its running maximum and sum and rescales its output when the maximum grows,
 * so the result equals the max-subtracted softmax up to float rounding. Buffers are kept per thread, so
 * steady-state decoding allocates nothing.
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
        Buffers b = BUFFERS.get().ensure(headDim, queries * heads, group);
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
                kv.readKeys(c0, c1 - c0, g, keys, 0, headDim);
                kv.readValues(c0, c1 - c0, g, values, 0, headDim);
                for (int i = 0; i < queries; i++) {
                    int n = Math.min(c1, mask.end(i)) - c0;
                    if (n <= 0) {
                        continue;
                    }
                    // Every query head of the group at once: row r of scores belongs to head g·group + r.
                    int first = i * heads + g * group;
                    scores(q, call.queriesOffset() + first * headDim, group, keys, headDim, n, scale, scores);
                    for (int r = 0; r < group; r++) {
                        int state = first + r;
                        int row = r * CHUNK;
                        if (!causal) {
                            for (int s = 0; s < n; s++) {
                                if (!mask.visible(i, c0 + s)) {
                                    scores[row + s] = Float.NEGATIVE_INFINITY;
                                }
                            }
                        }
                        float chunkMax = max(scores, row, n);
                        if (chunkMax == Float.NEGATIVE_INFINITY) {
                            // Nothing visible for this head here: it adds nothing.
                            Arrays.fill(scores, row, row + n, 0f);
                            continue;
                        }
                        if (chunkMax > max[state]) {
                            // Rescale what was summed under the old maximum (exp(−∞) = 0 the first time).
                            float rescale = (float) Math.exp(max[state] - chunkMax);
                            sum[state] *= rescale;
                            scaleInPlace(out, call.outputOffset() + state * headDim, headDim, rescale);
                            max[state] = chunkMax;
                        }
                        sum[state] += exponentiate(scores, row, n, max[state]);
                    }
                    accumulate(scores, group, n, values, headDim, out, call.outputOffset() + first * headDim);
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

    /**
     * {@code scores[r·CHUNK + s] = scale · q_r·keys[s]} for {@code s < n} and each of {@code heads} query heads
     * {@code q_r}, stored one after another from {@code qOff}.
     */
    private static void scores(float[] q, int qOff, int heads, float[] keys, int headDim, int n, float scale,
                               float[] scores) {
        int r = 0;
        int s0 = 0;
        if (VECTOR && headDim % Simd.LANES == 0) {
            s0 = n & ~1;
            for (; r + 4 <= heads; r += 4) {
                Simd.scores4Heads(q, qOff + r * headDim, keys, headDim, s0, scale, scores, r * CHUNK);
            }
            for (int t = r; t < heads; t++) {
                Simd.scores2(q, qOff + t * headDim, keys, headDim, s0, scale, scores, t * CHUNK);
            }
            r = 0;
        }
        // What the vector kernels left: every slot from s0 on, for every head.
        for (; r < heads; r++) {
            int qh = qOff + r * headDim;
            for (int s = s0; s < n; s++) {
                float dot = 0f;
                for (int d = 0; d < headDim; d++) {
                    dot += q[qh + d] * keys[s * headDim + d];
                }
                scores[r * CHUNK + s] = dot * scale;
            }
        }
    }

    private static float max(float[] x, int off, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (VECTOR) {
            i = Simd.F.loopBound(n);
            m = Simd.max(x, off, i);
        }
        for (; i < n; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    /**
     * {@code x[off + s] = exp(x[off + s] − max)} for {@code s < n} (masked slots, {@code −∞}, become 0); returns
     * the sum.
     */
    private static float exponentiate(float[] x, int off, int n, float max) {
        int i = 0;
        float sum = 0f;
        if (VECTOR) {
            i = Simd.F.loopBound(n);
            sum = Simd.exponentiate(x, off, i, max);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        return sum;
    }

    private static void scaleInPlace(float[] x, int off, int n, float factor) {
        for (int i = 0; i < n; i++) {
            x[off + i] *= factor;
        }
    }

    /**
     * {@code out_r[d] += Σ_s p[r·CHUNK + s] · values[s·headDim + d]} for {@code s < n} and each of {@code heads}
     * output heads {@code out_r}, stored one after another from {@code oOff}.
     */
    private static void accumulate(float[] p, int heads, int n, float[] values, int headDim, float[] out,
                                   int oOff) {
        int d = 0;
        if (VECTOR) {
            d = Simd.LANES * (headDim / Simd.LANES);
            int r = 0;
            for (; r + 4 <= heads; r += 4) {
                Simd.accumulate4Heads(p, r * CHUNK, n, values, headDim, d, out, oOff + r * headDim);
            }
            for (; r < heads; r++) {
                Simd.accumulate(p, r * CHUNK, n, values, headDim, d, out, oOff + r * headDim);
            }
        }
        for (int r = 0; r < heads && d < headDim; r++) {
            int oh = oOff + r * headDim;
            for (int s = 0; s < n; s++) {
                float w = p[r * CHUNK + s];
                for (int k = d; k < headDim; k++) {
                    out[oh + k] += w * values[s * headDim + k];
                }
            }
        }
    }

    /** One thread's decoded chunk of keys and values, chunk scores (a row per head of a group), softmax state. */
    private static final class Buffers {
        float[] keys = new float[0];
        float[] values = new float[0];
        float[] scores = new float[0];
        float[] max = new float[0];
        float[] sum = new float[0];

        Buffers ensure(int headDim, int states, int group) {
            if (keys.length < CHUNK * headDim) {
                keys = new float[CHUNK * headDim];
                values = new float[CHUNK * headDim];
            }
            if (scores.length < CHUNK * group) {
                scores = new float[CHUNK * group];
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
         * Scores of four query heads ({@code q} from {@code qOff}, {@code headDim} apart) against {@code n} keys,
         * {@code n} even and {@code headDim} a multiple of {@link #LANES}, into rows {@code sOff + r·CHUNK}. Two
         * slots at a time: each key load feeds four heads' multiply-adds, eight sums in flight, so the loop runs
         * on arithmetic rather than on loads of the chunk buffer.
         */
        static void scores4Heads(float[] q, int qOff, float[] keys, int headDim, int n, float scale,
                                 float[] scores, int sOff) {
            for (int s = 0; s < n; s += 2) {
                int k0 = s * headDim;
                FloatVector a0 = FloatVector.zero(F);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                FloatVector b0 = a0;
                FloatVector b1 = a0;
                FloatVector b2 = a0;
                FloatVector b3 = a0;
                for (int d = 0; d < headDim; d += LANES) {
                    FloatVector ka = FloatVector.fromArray(F, keys, k0 + d);
                    FloatVector kb = FloatVector.fromArray(F, keys, k0 + headDim + d);
                    FloatVector q0 = FloatVector.fromArray(F, q, qOff + d);
                    FloatVector q1 = FloatVector.fromArray(F, q, qOff + headDim + d);
                    FloatVector q2 = FloatVector.fromArray(F, q, qOff + 2 * headDim + d);
                    FloatVector q3 = FloatVector.fromArray(F, q, qOff + 3 * headDim + d);
                    a0 = ka.fma(q0, a0);
                    a1 = ka.fma(q1, a1);
                    a2 = ka.fma(q2, a2);
                    a3 = ka.fma(q3, a3);
                    b0 = kb.fma(q0, b0);
                    b1 = kb.fma(q1, b1);
                    b2 = kb.fma(q2, b2);
                    b3 = kb.fma(q3, b3);
                }
                scores[sOff + s] = a0.reduceLanes(VectorOperators.ADD) * scale;
                scores[sOff + CHUNK + s] = a1.reduceLanes(VectorOperators.ADD) * scale;
                scores[sOff + 2 * CHUNK + s] = a2.reduceLanes(VectorOperators.ADD) * scale;
                scores[sOff + 3 * CHUNK + s] = a3.reduceLanes(VectorOperators.ADD) * scale;
                scores[sOff + s + 1] = b0.reduceLanes(VectorOperators.ADD) * scale;
                scores[sOff + CHUNK + s + 1] = b1.reduceLanes(VectorOperators.ADD) * scale;
                scores[sOff + 2 * CHUNK + s + 1] = b2.reduceLanes(VectorOperators.ADD) * scale;
                scores[sOff + 3 * CHUNK + s + 1] = b3.reduceLanes(VectorOperators.ADD) * scale;
            }
        }

        /** Scores of one query head against {@code n} keys, two at a time, as {@link #scores4Heads}. */
        static void scores2(float[] q, int qOff, float[] keys, int headDim, int n, float scale, float[] scores,
                            int sOff) {
            for (int s = 0; s < n; s += 2) {
                int k0 = s * headDim;
                FloatVector a = FloatVector.zero(F);
                FloatVector b = a;
                for (int d = 0; d < headDim; d += LANES) {
                    FloatVector qv = FloatVector.fromArray(F, q, qOff + d);
                    a = FloatVector.fromArray(F, keys, k0 + d).fma(qv, a);
                    b = FloatVector.fromArray(F, keys, k0 + headDim + d).fma(qv, b);
                }
                scores[sOff + s] = a.reduceLanes(VectorOperators.ADD) * scale;
                scores[sOff + s + 1] = b.reduceLanes(VectorOperators.ADD) * scale;
            }
        }

        /** The largest of {@code x[off .. off+n)}, {@code n} a multiple of {@link #LANES}. */
        static float max(float[] x, int off, int n) {
            FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < n; i += LANES) {
                m = m.max(FloatVector.fromArray(F, x, off + i));
            }
            return m.reduceLanes(VectorOperators.MAX);
        }

        /** {@code x[off+i] = exp(x[off+i] − max)} over {@code n}, a multiple of {@link #LANES}; returns the sum. */
        static float exponentiate(float[] x, int off, int n, float max) {
            FloatVector sum = FloatVector.zero(F);
            for (int i = 0; i < n; i += LANES) {
                FloatVector e = FloatVector.fromArray(F, x, off + i).sub(max).lanewise(VectorOperators.EXP);
                e.intoArray(x, off + i);
                sum = sum.add(e);
            }
            return sum.reduceLanes(VectorOperators.ADD);
        }

        /**
         * For four heads (weights in rows {@code pOff + r·CHUNK}, outputs {@code headDim} apart from {@code oOff}):
         * {@code out_r[d] += Σ_s p_r[s] · values[s·headDim + d]} for {@code d < dims} (a multiple of
         * {@link #LANES}). Each value load feeds all four heads: two lane-groups of the head at a time, eight sums
         * in flight.
         */
        static void accumulate4Heads(float[] p, int pOff, int n, float[] values, int headDim, int dims, float[] out,
                                     int oOff) {
            int d = 0;
            for (; d + 2 * LANES <= dims; d += 2 * LANES) {
                int o0 = oOff + d;
                FloatVector a0 = FloatVector.fromArray(F, out, o0);
                FloatVector a1 = FloatVector.fromArray(F, out, o0 + headDim);
                FloatVector a2 = FloatVector.fromArray(F, out, o0 + 2 * headDim);
                FloatVector a3 = FloatVector.fromArray(F, out, o0 + 3 * headDim);
                FloatVector b0 = FloatVector.fromArray(F, out, o0 + LANES);
                FloatVector b1 = FloatVector.fromArray(F, out, o0 + headDim + LANES);
                FloatVector b2 = FloatVector.fromArray(F, out, o0 + 2 * headDim + LANES);
                FloatVector b3 = FloatVector.fromArray(F, out, o0 + 3 * headDim + LANES);
                for (int s = 0; s < n; s++) {
                    FloatVector va = FloatVector.fromArray(F, values, s * headDim + d);
                    FloatVector vb = FloatVector.fromArray(F, values, s * headDim + d + LANES);
                    FloatVector w0 = FloatVector.broadcast(F, p[pOff + s]);
                    FloatVector w1 = FloatVector.broadcast(F, p[pOff + CHUNK + s]);
                    FloatVector w2 = FloatVector.broadcast(F, p[pOff + 2 * CHUNK + s]);
                    FloatVector w3 = FloatVector.broadcast(F, p[pOff + 3 * CHUNK + s]);
                    a0 = va.fma(w0, a0);
                    a1 = va.fma(w1, a1);
                    a2 = va.fma(w2, a2);
                    a3 = va.fma(w3, a3);
                    b0 = vb.fma(w0, b0);
                    b1 = vb.fma(w1, b1);
                    b2 = vb.fma(w2, b2);
                    b3 = vb.fma(w3, b3);
                }
                a0.intoArray(out, o0);
                a1.intoArray(out, o0 + headDim);
                a2.intoArray(out, o0 + 2 * headDim);
                a3.intoArray(out, o0 + 3 * headDim);
                b0.intoArray(out, o0 + LANES);
                b1.intoArray(out, o0 + headDim + LANES);
                b2.intoArray(out, o0 + 2 * headDim + LANES);
                b3.intoArray(out, o0 + 3 * headDim + LANES);
            }
            for (int r = 0; r < 4 && d < dims; r++) {
                accumulate(p, pOff + r * CHUNK, n, values, headDim, d, dims, out, oOff + r * headDim);
            }
        }

        /**
         * For one head: {@code out[oOff + d] += Σ_s p[pOff + s] · values[s·headDim + d]} for {@code d < dims} (a
         * multiple of {@link #LANES}): up to four lane-groups at a time, each sum in its own register.
         */
        static void accumulate(float[] p, int pOff, int n, float[] values, int headDim, int dims, float[] out,
                               int oOff) {
            accumulate(p, pOff, n, values, headDim, 0, dims, out, oOff);
        }

        private static void accumulate(float[] p, int pOff, int n, float[] values, int headDim, int from, int dims,
                                       float[] out, int oOff) {
            int d = from;
            for (; d + 4 * LANES <= dims; d += 4 * LANES) {
                FloatVector a0 = FloatVector.fromArray(F, out, oOff + d);
                FloatVector a1 = FloatVector.fromArray(F, out, oOff + d + LANES);
                FloatVector a2 = FloatVector.fromArray(F, out, oOff + d + 2 * LANES);
                FloatVector a3 = FloatVector.fromArray(F, out, oOff + d + 3 * LANES);
                for (int s = 0; s < n; s++) {
                    FloatVector w = FloatVector.broadcast(F, p[pOff + s]);
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
                    acc = FloatVector.fromArray(F, values, s * headDim + d).fma(FloatVector.broadcast(F, p[pOff + s]),
                            acc);
                }
                acc.intoArray(out, oOff + d);
            }
        }
    }
}
