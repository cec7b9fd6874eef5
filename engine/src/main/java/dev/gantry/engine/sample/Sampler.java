package dev.gantry.engine.sample;

/**
 * Picks the next token from a vector of logits. Implementations may keep state (a random generator), so use
 * one sampler per sequence.
 */
@FunctionalInterface
public interface Sampler {

    /** Greedy decoding: the highest logit, the lowest token id on ties. */
    Sampler GREEDY = GreedySampler::argmax;

    /** The chosen token id, in {@code [0, vocab)}. */
    int sample(float[] logits, int vocab);

    /** Greedy when {@code temperature} is 0, otherwise seeded sampling at that temperature. */
    static Sampler of(float temperature, long seed) {
        if (temperature < 0 || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number ≥ 0, was " + temperature);
        }
        return temperature == 0f ? GREEDY : new TemperatureSampler(temperature, seed);
    }
}
