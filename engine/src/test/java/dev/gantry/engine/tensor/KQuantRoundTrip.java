package dev.gantry.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-element error bound of the Q4_K and Q5_K encoders, derived from their scale choice. */
final class KQuantRoundTrip {

    private KQuantRoundTrip() {
    }

    /** Relative rounding of an f16 {@code d} or {@code dmin} in the normal range, with some margin. */
    private static final double F16_ROUNDING = 0x1p-10;

    /**
     * Each 32-element sub-block spans {@code [lo, hi]} with {@code lo = min(0, min x)}, so its ideal
     * step is {@code s = (hi - lo) / levels} and its offset {@code m = -lo}. With {@code S} and {@code M}
     * the super-block's largest step and offset, the stored step is within {@code S/126} (half a 6-bit
     * unit) plus f16 rounding of {@code S} of the ideal one, and likewise the offset. An element is then
     * off by at most half a stored step or, where the shrunken grid clamps it, by {@code levels} step
     * errors plus the offset error.
     */
    static void assertWithinBound(float[] src, float[] back, int levels) {
        for (int b = 0; b < src.length; b += 256) {
            double largestStep = 0;
            double largestOffset = 0;
            for (int s = b; s < b + 256; s += 32) {
                largestStep = Math.max(largestStep, (hi(src, s) - lo(src, s)) / levels);
                largestOffset = Math.max(largestOffset, -lo(src, s));
            }
            double stepError = largestStep * (1.0 / 126 + F16_ROUNDING);
            double offsetError = largestOffset * (1.0 / 126 + F16_ROUNDING);
            double clampError = levels * stepError + offsetError;
            for (int s = b; s < b + 256; s += 32) {
                double halfStep = ((hi(src, s) - lo(src, s)) / levels + stepError) / 2;
                double bound = Math.max(halfStep, clampError) * 1.001 + 1e-7;
                for (int i = s; i < s + 32; i++) {
                    double error = Math.abs(src[i] - back[i]);
                    assertTrue(error <= bound, "element " + i + " off by " + error + " > " + bound);
                }
            }
        }
    }

    private static double lo(float[] src, int off) {
        double lo = 0;
        for (int i = off; i < off + 32; i++) {
            lo = Math.min(lo, src[i]);
        }
        return lo;
    }

    private static double hi(float[] src, int off) {
        double hi = -Double.MAX_VALUE;
        for (int i = off; i < off + 32; i++) {
            hi = Math.max(hi, src[i]);
        }
        return hi;
    }
}
