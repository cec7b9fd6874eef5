package dev.gantry.engine.sample;

import java.util.SplittableRandom;

/**
 * Samples from {@code softmax(logits / temperature)} with a seeded generator, so a seed repeats its output.
 * The softmax is computed in double precision with the maximum subtracted.
 */
public final class TemperatureSampler implements Sampler {

    private final double temperature;
    private final SplittableRandom random;
    private double[] probabilities = new double[0];

    public TemperatureSampler(float temperature, long seed) {
        if (!(temperature > 0) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive, was " + temperature);
        }
        this.temperature = temperature;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int sample(float[] logits, int vocab) {
        if (probabilities.length < vocab) {
            probabilities = new double[vocab];
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            double p = Math.exp((logits[i] - max) / temperature);
            probabilities[i] = p;
            sum += p;
        }
        double u = random.nextDouble() * sum;
        double cumulative = 0;
        for (int i = 0; i < vocab; i++) {
            cumulative += probabilities[i];
            if (u < cumulative) {
                return i;
            }
        }
        // Rounding can leave u at the very top; the last token with mass is the answer then.
        for (int i = vocab - 1; i >= 0; i--) {
            if (probabilities[i] > 0) {
                return i;
            }
        }
        return vocab - 1;
    }
}
