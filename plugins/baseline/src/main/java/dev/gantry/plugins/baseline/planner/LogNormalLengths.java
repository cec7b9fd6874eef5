package dev.gantry.plugins.baseline.planner;

import dev.gantry.spi.planner.LengthDistribution;

/**
 * Quantiles and the distribution function of a {@link LengthDistribution}, read as the lognormal it
 * documents, truncated at its {@code max}. The normal distribution function uses Abramowitz and Stegun's
 * approximation 7.1.26 of erf (absolute error below 1.5e-7), plenty for SLO fractions.
 */
final class LogNormalLengths {

    /** The standard normal quantile of 0.99. */
    private static final double Z_99 = 2.3263478740408408;

    private LogNormalLengths() {
    }

    /** The median length in tokens. */
    static double median(LengthDistribution d) {
        return quantileAt(d, 0);
    }

    /** The 99th-percentile length in tokens. */
    static double p99(LengthDistribution d) {
        return quantileAt(d, Z_99);
    }

    /** The fraction of lengths at most {@code tokens}. */
    static double cdf(LengthDistribution d, double tokens) {
        if (tokens >= d.max()) {
            return 1;
        }
        if (d.stddev() == 0) {
            return tokens >= d.mean() ? 1 : 0;
        }
        if (tokens <= 0) {
            return 0;
        }
        double z = (Math.log(tokens) - d.logMu()) / d.logSigma();
        return 0.5 * (1 + erf(z / Math.sqrt(2)));
    }

    private static double quantileAt(LengthDistribution d, double z) {
        if (d.stddev() == 0) {
            return d.mean(); // exact, where exp(log(mean)) would round
        }
        return Math.min(d.max(), Math.exp(d.logMu() + d.logSigma() * z));
    }

    private static double erf(double x) {
        double ax = Math.abs(x);
        double t = 1 / (1 + 0.3275911 * ax);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                + t * 1.061405429))));
        double y = 1 - poly * Math.exp(-ax * ax);
        return x < 0 ? -y : y;
    }
}
