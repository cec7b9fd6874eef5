package dev.gantry.engine.llama;

/**
 * Rotary position embedding as llama.cpp applies it to Llama models ("normal" mode): element pairs
 * {@code (2i, 2i+1)} of each head, for {@code 2i < ropeDims}, are rotated by
 * {@code θ = pos · base^(−2i/ropeDims) / factor_i}, where {@code factor_i} comes from Llama 3's
 * {@code rope_freqs} tensor (1 when absent). Frequencies are precomputed; cos and sin per position are
 * computed on demand in double precision.
 */
public final class RopeTable {

    private final int ropeDims;
    private final double[] inverseFrequency;

    public RopeTable(int ropeDims, float base, float[] freqFactors) {
        this.ropeDims = ropeDims;
        this.inverseFrequency = new double[ropeDims / 2];
        for (int i = 0; i < ropeDims / 2; i++) {
            double f = Math.pow(base, -2.0 * i / ropeDims);
            inverseFrequency[i] = freqFactors == null ? f : f / freqFactors[i];
        }
    }

    /**
     * Rotates {@code heads} heads of {@code headDim} elements starting at {@code offset} in {@code x}, for a
     * token at {@code position}.
     */
    public void apply(float[] x, int offset, int heads, int headDim, int position) {
        for (int i = 0; i < ropeDims / 2; i++) {
            double theta = position * inverseFrequency[i];
            float cos = (float) Math.cos(theta);
            float sin = (float) Math.sin(theta);
            for (int h = 0; h < heads; h++) {
                int j = offset + h * headDim + 2 * i;
                float a = x[j];
                float b = x[j + 1];
                x[j] = a * cos - b * sin;
                x[j + 1] = a * sin + b * cos;
            }
        }
    }
}
