package dev.gantry.plugins.baseline.planner;

import dev.gantry.spi.planner.LengthDistribution;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogNormalLengthsTest {

    private static final LengthDistribution SHARE_GPT_LIKE = new LengthDistribution(250, 400, 1_000_000);

    @Test
    void quantilesAndDistributionFunctionAgree() {
        double median = LogNormalLengths.median(SHARE_GPT_LIKE);
        assertEquals(Math.exp(SHARE_GPT_LIKE.logMu()), median, 1e-9);
        assertEquals(0.5, LogNormalLengths.cdf(SHARE_GPT_LIKE, median), 1e-6);
        assertEquals(0.99, LogNormalLengths.cdf(SHARE_GPT_LIKE, LogNormalLengths.p99(SHARE_GPT_LIKE)), 1e-6);
    }

    @Test
    void truncationAndFixedLengths() {
        LengthDistribution capped = new LengthDistribution(250, 400, 300);
        assertEquals(300, LogNormalLengths.p99(capped));
        assertEquals(1, LogNormalLengths.cdf(capped, 300));
        LengthDistribution fixed = LengthDistribution.fixed(64);
        assertEquals(64, LogNormalLengths.p99(fixed));
        assertEquals(0, LogNormalLengths.cdf(fixed, 63.9));
        assertEquals(1, LogNormalLengths.cdf(fixed, 64));
    }
}
