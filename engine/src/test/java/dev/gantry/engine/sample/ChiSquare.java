package dev.gantry.engine.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pearson's goodness-of-fit test at the 0.999 quantile, for the tests that check sampled distributions. */
final class ChiSquare {

    private ChiSquare() {
    }

    /**
     * Asserts that {@code counts} fit {@code expected} (probabilities summing to 1). Categories of probability
     * 0 must have no counts and give no degree of freedom.
     */
    static void assertFits(long[] counts, double[] expected, String what) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        double chi2 = 0;
        int categories = 0;
        for (int i = 0; i < counts.length; i++) {
            if (expected[i] == 0) {
                assertEquals(0, counts[i], what + ": category " + i + " has probability 0");
                continue;
            }
            double e = expected[i] * n;
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
            categories++;
        }
        double limit = quantile999(categories - 1);
        assertTrue(chi2 < limit, what + ": chi-square " + chi2 + " ≥ " + limit + " with " + (categories - 1)
                + " degrees of freedom; counts " + java.util.Arrays.toString(counts));
    }

    /** The 0.999 quantile of the chi-square distribution: exact table values, Wilson–Hilferty beyond. */
    static double quantile999(int df) {
        double[] table = {0, 10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322, 26.124, 27.877, 29.588};
        if (df < table.length) {
            return table[df];
        }
        double z = 3.090232;
        double a = 2.0 / (9 * df);
        return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }
}
