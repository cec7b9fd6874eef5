package dev.gantry.engine.sample;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {

    @Test
    void greedyTakesTheLowestIdAmongEqualMaxima() {
        float[] logits = {0.5f, 2f, -1f, 2f, 2f};
        assertEquals(1, Sampler.GREEDY.sample(logits, logits.length));
        assertEquals(0, Sampler.GREEDY.sample(new float[] {3f, 3f}, 2));
        assertSame(Sampler.GREEDY, Sampler.of(0f, 99));
    }

    @Test
    void seededSamplingRepeatsAndFollowsTheTemperatureScaledDistribution() {
        float[] logits = {0f, (float) Math.log(2), (float) Math.log(5), Float.NEGATIVE_INFINITY};
        int n = 40_000;
        int[] counts = new int[4];
        Sampler s = Sampler.of(1f, 11);
        Sampler same = Sampler.of(1f, 11);
        for (int i = 0; i < n; i++) {
            int t = s.sample(logits, 4);
            assertEquals(t, same.sample(logits, 4), "same seed, same sequence");
            counts[t]++;
        }
        assertEquals(0, counts[3], "a token with no mass is never drawn");
        double[] expected = {1 / 8.0, 2 / 8.0, 5 / 8.0};
        double chi2 = 0;
        for (int i = 0; i < 3; i++) {
            double e = expected[i] * n;
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
        }
        // 2 degrees of freedom: 13.8 is the 0.999 quantile.
        assertTrue(chi2 < 13.8, "chi-square " + chi2);

        int[] hot = new int[4];
        Sampler cold = Sampler.of(0.25f, 3);
        for (int i = 0; i < 2000; i++) {
            hot[cold.sample(logits, 4)]++;
        }
        assertTrue(hot[2] > 1900, "a low temperature concentrates on the top token: " + hot[2]);
    }

    @Test
    void badTemperaturesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Sampler.of(-0.1f, 1));
        assertThrows(IllegalArgumentException.class, () -> Sampler.of(Float.NaN, 1));
    }
}
