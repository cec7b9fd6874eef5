package dev.gantry.engine.synth;

/**
 * Llama 3.1's RoPE frequency scaling, as the factors llama.cpp stores in a {@code rope_freqs.weight}
 * tensor: one factor per rotated pair, by which that pair's rotation wavelength is stretched.
 *
 * <p>Llama 3.1 (and 3.2) models keep high frequencies (short wavelengths, under
 * {@code ORIGINAL_CONTEXT / HIGH_FREQ_FACTOR} positions) as trained, divide low frequencies (wavelengths
 * over {@code ORIGINAL_CONTEXT / LOW_FREQ_FACTOR}) by {@code FACTOR}, and blend smoothly in between. The
 * factors are computed in float32, the way llama.cpp's converter computes them, so that a synthetic model
 * carries the same tensor a converted one would.
 */
public final class Llama3RopeScaling {

    /** How much the lowest frequencies are slowed. */
    public static final float FACTOR = 8f;
    public static final float LOW_FREQ_FACTOR = 1f;
    public static final float HIGH_FREQ_FACTOR = 4f;
    /** The context length the model was first trained with. */
    public static final int ORIGINAL_CONTEXT = 8192;

    private Llama3RopeScaling() {
    }

    /**
     * The {@code headDim / 2} factors for RoPE base {@code ropeTheta}: 1 for high frequencies,
     * {@link #FACTOR} for low ones, in between for the rest.
     */
    public static float[] factors(int headDim, float ropeTheta) {
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new IllegalArgumentException("head dimension must be positive and even, is " + headDim);
        }
        float lowFreqWavelen = ORIGINAL_CONTEXT / LOW_FREQ_FACTOR;
        float highFreqWavelen = ORIGINAL_CONTEXT / HIGH_FREQ_FACTOR;
        float twoPi = (float) (2 * Math.PI);
        float[] out = new float[headDim / 2];
        for (int i = 0; i < out.length; i++) {
            float exponent = (float) (2 * i) / headDim;
            float freq = 1f / (float) Math.pow(ropeTheta, exponent);
            float wavelen = twoPi / freq;
            if (wavelen < highFreqWavelen) {
                out[i] = 1f;
            } else if (wavelen > lowFreqWavelen) {
                out[i] = FACTOR;
            } else {
                float smooth = (ORIGINAL_CONTEXT / wavelen - LOW_FREQ_FACTOR) / (HIGH_FREQ_FACTOR - LOW_FREQ_FACTOR);
                out[i] = 1f / ((1f - smooth) / FACTOR + smooth);
            }
        }
        return out;
    }
}
