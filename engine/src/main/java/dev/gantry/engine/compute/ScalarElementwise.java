package dev.gantry.engine.compute;

/**
 * {@link ElementwiseKernels} in plain Java: the reference for {@link VectorElementwise} and the kernels used
 * when the Vector API is off. The arithmetic is the engine's original: sums in float, {@code exp} in double.
 */
final class ScalarElementwise implements ElementwiseKernels {

    @Override
    public void rmsNorm(float[] x, int xOff, int dim, float[] weight, float eps, float[] out, int outOff) {
        float ss = 0f;
        for (int i = 0; i < dim; i++) {
            ss += x[xOff + i] * x[xOff + i];
        }
        float scale = (float) (1.0 / Math.sqrt(ss / dim + eps));
        for (int i = 0; i < dim; i++) {
            out[outOff + i] = x[xOff + i] * scale * weight[i];
        }
    }

    @Override
    public void swiglu(float[] gate, float[] up, int from, int to) {
        for (int i = from; i < to; i++) {
            float g = gate[i];
            gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
        }
    }

    @Override
    public void softmax(float[] x, int off, int len) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + len; i++) {
            max = Math.max(max, x[i]);
        }
        float sum = 0f;
        for (int i = off; i < off + len; i++) {
            float e = (float) Math.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = off; i < off + len; i++) {
            x[i] *= inv;
        }
    }

    @Override
    public void rope(float[] x, int offset, int heads, int headDim, int pairs, float[] cos, float[] sin) {
        for (int h = 0; h < heads; h++) {
            int base = offset + h * headDim;
            for (int i = 0; i < pairs; i++) {
                int j = base + 2 * i;
                float a = x[j];
                float b = x[j + 1];
                x[j] = a * cos[i] - b * sin[i];
                x[j + 1] = a * sin[i] + b * cos[i];
            }
        }
    }
}
