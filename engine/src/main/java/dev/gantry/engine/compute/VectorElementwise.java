package dev.gantry.engine.compute;

import dev.gantry.engine.tensor.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementwiseKernels} with the Vector API. RoPE works on interleaved pairs directly: with
 * {@code c = (cos_0, cos_0, cos_1, cos_1, …)} and {@code s = (−sin_0, sin_0, −sin_1, sin_1, …)}, a vector of
 * pairs becomes {@code x·c + swap(x)·s}, where {@code swap} exchanges the two lanes of each pair; the expanded
 * tables are built once per call and shared by every head.
 */
final class VectorElementwise implements ElementwiseKernels {

    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.BITS));
    private static final int LANES = F.length();
    private static final int PAIRS = LANES / 2;
    /** Lane i of a pair vector holds pair i/2: the gather map that expands per-pair tables. */
    private static final int[] PAIR_OF_LANE = new int[LANES];
    private static final VectorShuffle<Float> SWAP;
    private static final VectorMask<Float> EVEN;

    static {
        int[] swap = new int[LANES];
        boolean[] even = new boolean[LANES];
        for (int i = 0; i < LANES; i++) {
            PAIR_OF_LANE[i] = i / 2;
            swap[i] = i ^ 1;
            even[i] = i % 2 == 0;
        }
        SWAP = VectorShuffle.fromArray(F, swap, 0);
        EVEN = VectorMask.fromArray(F, even, 0);
    }

    private final ScalarElementwise scalar = new ScalarElementwise();

    @Override
    public void rmsNorm(float[] x, int xOff, int dim, float[] weight, float eps, float[] out, int outOff) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        int i = 0;
        for (; i + 2 * LANES <= dim; i += 2 * LANES) {
            FloatVector a = FloatVector.fromArray(F, x, xOff + i);
            FloatVector b = FloatVector.fromArray(F, x, xOff + i + LANES);
            s0 = a.fma(a, s0);
            s1 = b.fma(b, s1);
        }
        float ss = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            ss += x[xOff + i] * x[xOff + i];
        }
        float scale = (float) (1.0 / Math.sqrt(ss / dim + eps));
        i = 0;
        for (int bound = F.loopBound(dim); i < bound; i += LANES) {
            FloatVector.fromArray(F, x, xOff + i).mul(scale).mul(FloatVector.fromArray(F, weight, i))
                    .intoArray(out, outOff + i);
        }
        for (; i < dim; i++) {
            out[outOff + i] = x[xOff + i] * scale * weight[i];
        }
    }

    @Override
    public void swiglu(float[] gate, float[] up, int from, int to) {
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            FloatVector g = FloatVector.fromArray(F, gate, i);
            FloatVector sigmoidInverse = g.neg().lanewise(VectorOperators.EXP).add(1f);
            g.div(sigmoidInverse).mul(FloatVector.fromArray(F, up, i)).intoArray(gate, i);
        }
        scalar.swiglu(gate, up, i, to);
    }

    @Override
    public void softmax(float[] x, int off, int len) {
        int end = off + len;
        int bound = off + F.loopBound(len);
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = off;
        for (; i < bound; i += LANES) {
            m = m.max(FloatVector.fromArray(F, x, i));
        }
        float max = m.reduceLanes(VectorOperators.MAX);
        for (; i < end; i++) {
            max = Math.max(max, x[i]);
        }
        FloatVector s = FloatVector.zero(F);
        for (i = off; i < bound; i += LANES) {
            FloatVector e = FloatVector.fromArray(F, x, i).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(x, i);
            s = s.add(e);
        }
        float sum = s.reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) {
            float e = (float) Math.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (i = off; i < bound; i += LANES) {
            FloatVector.fromArray(F, x, i).mul(inv).intoArray(x, i);
        }
        for (; i < end; i++) {
            x[i] *= inv;
        }
    }

    @Override
    public void rope(float[] x, int offset, int heads, int headDim, int pairs, float[] cos, float[] sin) {
        int i = 0;
        for (; i + PAIRS <= pairs; i += PAIRS) {
            FloatVector c = FloatVector.fromArray(F, cos, i, PAIR_OF_LANE, 0);
            FloatVector sv = FloatVector.fromArray(F, sin, i, PAIR_OF_LANE, 0);
            FloatVector s = sv.neg().blend(sv, EVEN.not());
            for (int h = 0; h < heads; h++) {
                int j = offset + h * headDim + 2 * i;
                FloatVector v = FloatVector.fromArray(F, x, j);
                v.mul(c).add(v.rearrange(SWAP).mul(s)).intoArray(x, j);
            }
        }
        if (i < pairs) {
            for (int h = 0; h < heads; h++) {
                int base = offset + h * headDim;
                for (int p = i; p < pairs; p++) {
                    int j = base + 2 * p;
                    float a = x[j];
                    float b = x[j + 1];
                    x[j] = a * cos[p] - b * sin[p];
                    x[j + 1] = a * sin[p] + b * cos[p];
                }
            }
        }
    }
}
