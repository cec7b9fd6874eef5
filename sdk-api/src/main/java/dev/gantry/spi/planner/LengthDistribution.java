package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

/**
 * How many tokens prompts (or generations) have: a lognormal distribution given by its mean and standard
 * deviation in tokens, truncated at {@code max}. Real traffic (ShareGPT and the like) is well fitted by a
 * lognormal with a heavy tail; mean and standard deviation are what a trace's statistics report, and
 * {@link #logMu()} and {@link #logSigma()} give the parameters of the underlying normal for samplers and
 * quantiles. A standard deviation of 0 means every request has exactly {@code mean} tokens.
 *
 * @param mean   mean length in tokens; finite, &gt; 0, at most {@code max}
 * @param stddev standard deviation in tokens; finite, ≥ 0
 * @param max    the longest length that occurs (the context limit or the request cap), in tokens; ≥ 1;
 *               samplers clamp to it and planners size worst-case KV by it
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record LengthDistribution(double mean, double stddev, int max) {

    /**
     * Checks the figures.
     *
     * @throws IllegalArgumentException for a mean that is not positive, a negative deviation, or a max below the mean
     */
    public LengthDistribution {
        if (!(mean > 0) || Double.isInfinite(mean)) {
            throw new IllegalArgumentException("length distribution: mean must be finite and > 0 tokens, got "
                    + mean);
        }
        if (!(stddev >= 0) || Double.isInfinite(stddev)) {
            throw new IllegalArgumentException("length distribution: stddev must be finite and ≥ 0 tokens, got "
                    + stddev);
        }
        if (max < 1 || max < mean) {
            throw new IllegalArgumentException("length distribution: max must be ≥ 1 and ≥ the mean " + mean
                    + ", got " + max);
        }
    }

    /**
     * Every request has exactly {@code tokens} tokens.
     *
     * @param tokens the length, in tokens; ≥ 1
     * @return the distribution
     */
    public static LengthDistribution fixed(int tokens) {
        return new LengthDistribution(tokens, 0, tokens);
    }

    /** {@return σ of the underlying normal: {@code sqrt(ln(1 + (stddev/mean)²))}} */
    public double logSigma() {
        double cv = stddev / mean;
        return Math.sqrt(Math.log1p(cv * cv));
    }

    /** {@return μ of the underlying normal: {@code ln(mean) − σ²/2}} */
    public double logMu() {
        double s = logSigma();
        return Math.log(mean) - s * s / 2;
    }
}
