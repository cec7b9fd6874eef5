package dev.gantry.engine.sample;

/** Argmax with the lowest token id winning ties, as the reference outputs are defined. */
public final class GreedySampler {

    private GreedySampler() {
    }

    /** The index of the largest of {@code logits[0 .. vocab)}, the lowest on ties. */
    public static int argmax(float[] logits, int vocab) {
        int best = 0;
        float max = logits[0];
        for (int i = 1; i < vocab; i++) {
            if (logits[i] > max) {
                max = logits[i];
                best = i;
            }
        }
        return best;
    }
}
