package dev.gantry.engine.sample;

/**
 * The vocabulary-sized work arrays of sampling. A large vocabulary makes them a few megabytes, so samplers
 * used from one thread may share one instance instead of each holding its own; nothing in them survives
 * from one call to the next. Not thread-safe.
 */
public final class SamplingScratch {

    private float[] logits = new float[0];
    private double[] weights = new double[0];
    private long[] keys = new long[0];

    /** Processed logits of the position being sampled. */
    float[] logits(int vocab) {
        if (logits.length < vocab) {
            logits = new float[vocab];
        }
        return logits;
    }

    /** Unnormalised probabilities of the position being sampled. */
    double[] weights(int vocab) {
        if (weights.length < vocab) {
            weights = new double[vocab];
        }
        return weights;
    }

    /** Sort keys for ranking tokens (top-k, top-p, top logprobs). */
    long[] keys(int vocab) {
        if (keys.length < vocab) {
            keys = new long[vocab];
        }
        return keys;
    }
}
