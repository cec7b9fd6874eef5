package dev.gantry.engine.llama;

/**
 * Rotary position embedding as llama.cpp applies it to Llama models ("normal" mode): element pairs
 * {@code (2i, 2i+1)} of each head, for {@code 2i < ropeDims}, are rotated by
 * {@code θ = pos · base^(−2i/ropeDims) / factor_i}, where {@code factor_i} comes from Llama 3's
 * {@code rope_freqs} tensor (1 when absent). Frequencies are precomputed; cos and sin per position are
 * computed in double precision, once per token and forward ({@link #angles}), and reused by every layer.
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

    /** Rotated pairs per head: {@code ropeDims / 2}. */
    public int pairs() {
        return ropeDims / 2;
    }

    /** Writes the cosines and sines of every pair's angle at {@code position} into {@code cos} and {@code sin}. */
    public void angles(int position, float[] cos, float[] sin) {
        for (int i = 0; i < ropeDims / 2; i++) {
            double theta = position * inverseFrequency[i];
            cos[i] = (float) Math.cos(theta);
            sin[i] = (float) Math.sin(theta);
        }
    }
}
