package dev.gantry.engine.synth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Llama 3.1's RoPE factors for Llama 3.2 1B's head dimension (64) and base (500000). */
class Llama3RopeScalingTest {

    @Test
    void highFrequenciesKeptLowOnesScaledAndABlendBetween() {
        float[] f = Llama3RopeScaling.factors(64, 500000f);
        assertEquals(32, f.length);
        // Wavelength 2*pi*500000^(2i/64) is under 2048 up to i = 14 and over 8192 from i = 18.
        for (int i = 0; i <= 14; i++) {
            assertEquals(1f, f[i], "pair " + i);
        }
        for (int i = 18; i < 32; i++) {
            assertEquals(8f, f[i], "pair " + i);
        }
        for (int i = 15; i <= 17; i++) {
            assertTrue(f[i] > f[i - 1] && f[i] < 8f, "pair " + i + " blends: " + f[i]);
            double wavelen = 2 * Math.PI * Math.pow(500000, 2.0 * i / 64);
            double smooth = (8192 / wavelen - 1) / 3;
            assertEquals(1 / ((1 - smooth) / 8 + smooth), f[i], 1e-4, "pair " + i);
        }
    }

    @Test
    void oddHeadDimensionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Llama3RopeScaling.factors(63, 500000f));
    }
}
