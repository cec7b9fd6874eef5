package dev.gantry.tck.attention;

import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.AttentionCall;
import dev.gantry.spi.attention.AttentionMask;
import dev.gantry.spi.attention.AttentionPhase;
import dev.gantry.spi.attention.KvSequenceView;
import dev.gantry.spi.attention.LayerInfo;
import dev.gantry.spi.attention.StepState;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An attention call the kit builds without the engine: random keys, values and queries held in arrays, for
 * checks the engine cannot provoke on demand (how a backend refuses a tree mask it does not support).
 */
final class SyntheticAttentionCall implements AttentionCall {

    private final LayerInfo layer;
    private final SequenceId sequence;
    private final AttentionPhase phase;
    private final AttentionMask mask;
    private final int queries;
    private final int[] positions;
    private final float[] q;
    private final float[] out;
    private final Store kv;
    private final Map<StepState.Key<?>, Object> state = new HashMap<>();

    /**
     * A call of {@code queries} queries over {@code slots} stored slots (the queries' own keys are the last
     * ones), masked by {@code mask}.
     */
    SyntheticAttentionCall(LayerInfo layer, SequenceId sequence, AttentionPhase phase, AttentionMask mask,
                           int queries, int slots, int[] positions, long seed) {
        this.layer = layer;
        this.sequence = sequence;
        this.phase = phase;
        this.mask = mask;
        this.queries = queries;
        this.positions = positions.clone();
        SplittableRandom random = new SplittableRandom(seed);
        this.q = gaussian(random, queries * layer.heads() * layer.headDim());
        this.out = new float[q.length];
        this.kv = new Store(layer, slots, positions, random);
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextDouble(-1, 1) + random.nextDouble(-1, 1));
        }
        return a;
    }

    @Override
    public LayerInfo layer() {
        return layer;
    }

    @Override
    public SequenceId sequence() {
        return sequence;
    }

    @Override
    public AttentionPhase phase() {
        return phase;
    }

    @Override
    public int queryCount() {
        return queries;
    }

    @Override
    public int queryPosition(int i) {
        return positions[positions.length - queries + i];
    }

    @Override
    public float[] queries() {
        return q;
    }

    @Override
    public int queriesOffset() {
        return 0;
    }

    @Override
    public KvSequenceView kv() {
        return kv;
    }

    @Override
    public AttentionMask mask() {
        return mask;
    }

    @Override
    public float scale() {
        return layer.scale();
    }

    @Override
    public float[] output() {
        return out;
    }

    @Override
    public int outputOffset() {
        return 0;
    }

    @Override
    public StepState stepState() {
        return new StepState() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T get(Key<T> key) {
                return (T) state.get(key);
            }

            @Override
            public <T> void put(Key<T> key, T value) {
                state.put(key, value);
            }
        };
    }

    /** Keys and values in plain arrays, slot-major. */
    private static final class Store implements KvSequenceView {
        private final int slots;
        private final int kvDim;
        private final int headDim;
        private final int[] positions;
        private final float[] keys;
        private final float[] values;

        Store(LayerInfo layer, int slots, int[] positions, SplittableRandom random) {
            this.slots = slots;
            this.headDim = layer.headDim();
            this.kvDim = layer.kvHeads() * headDim;
            this.positions = positions.clone();
            this.keys = gaussian(random, slots * kvDim);
            this.values = gaussian(random, slots * kvDim);
        }

        @Override
        public int length() {
            return slots;
        }

        @Override
        public int blockSize() {
            return 16;
        }

        @Override
        public int position(int slot) {
            return positions[slot];
        }

        @Override
        public float dotKey(int slot, int kvHead, float[] q, int qOffset) {
            float sum = 0;
            int base = slot * kvDim + kvHead * headDim;
            for (int i = 0; i < headDim; i++) {
                sum += q[qOffset + i] * keys[base + i];
            }
            return sum;
        }

        @Override
        public void accumulateValue(int slot, int kvHead, float weight, float[] acc, int accOffset) {
            int base = slot * kvDim + kvHead * headDim;
            for (int i = 0; i < headDim; i++) {
                acc[accOffset + i] += weight * values[base + i];
            }
        }

        @Override
        public void readKey(int slot, int kvHead, float[] dst, int dstOffset) {
            System.arraycopy(keys, slot * kvDim + kvHead * headDim, dst, dstOffset, headDim);
        }

        @Override
        public void readValue(int slot, int kvHead, float[] dst, int dstOffset) {
            System.arraycopy(values, slot * kvDim + kvHead * headDim, dst, dstOffset, headDim);
        }
    }
}
