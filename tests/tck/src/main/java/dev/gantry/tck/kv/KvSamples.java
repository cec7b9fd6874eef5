package dev.gantry.tck.kv;

import java.util.SplittableRandom;

/**
 * Keys and values to store: {@code tokens × kvDim} elements each, token-major, with each token's position.
 *
 * @param source    where they come from, for messages
 * @param tokens    number of tokens
 * @param kvDim     elements per token
 * @param keys      the keys
 * @param values    the values
 * @param positions the positions
 */
record KvSamples(String source, int tokens, int kvDim, float[] keys, float[] values, int[] positions) {

    /** Standard normal elements. */
    static KvSamples gaussian(int tokens, int kvDim, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new KvSamples("gaussian", tokens, kvDim, normal(random, tokens * kvDim, 1),
                normal(random, tokens * kvDim, 1), positions(tokens));
    }

    /**
     * Normal elements with a few large outlier channels, as real keys have (the channels quantising codecs
     * must handle).
     */
    static KvSamples withOutliers(int tokens, int kvDim, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] keys = normal(random, tokens * kvDim, 1);
        float[] values = normal(random, tokens * kvDim, 0.5);
        for (int t = 0; t < tokens; t++) {
            for (int c = 0; c < kvDim; c += 7) {
                keys[t * kvDim + c] *= 20;
            }
        }
        return new KvSamples("outlier channels", tokens, kvDim, keys, values, positions(tokens));
    }

    private static float[] normal(SplittableRandom random, int n, double sigma) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            // Box–Muller; the kit needs repeatable data, not speed.
            double u = 1 - random.nextDouble();
            double v = random.nextDouble();
            a[i] = (float) (sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
        }
        return a;
    }

    private static int[] positions(int tokens) {
        int[] p = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            p[i] = i;
        }
        return p;
    }
}
