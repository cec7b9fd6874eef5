package dev.gantry.tck.speculator;

import java.util.Arrays;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Sampled output with and without the speculator under test, compared position by position with a chi-square
 * test of homogeneity. The two sides use different seeds (independent samples), each fixed, so the comparison
 * gives the same p-values on every run.
 *
 * @param prompt     the prompt sampled from
 * @param samples    requests per side
 * @param speculated the run with the speculator
 * @param plain      the run without speculation
 * @param pValues    per output position from the second on, the test's p-value
 */
public record SamplingComparison(String prompt, int samples, SpeculatorRun speculated, SpeculatorRun plain,
                                 double[] pValues) {

    public SamplingComparison {
        pValues = pValues.clone();
    }

    @Override
    public double[] pValues() {
        return pValues.clone();
    }

    /** The smallest p-value over the positions. */
    public double minPValue() {
        return Arrays.stream(pValues).min().orElse(1);
    }

    /**
     * Fails when any position's tokens differ in distribution at family-wise significance {@code alpha}
     * (Bonferroni over the positions).
     */
    public SamplingComparison assertSameDistribution(double alpha) {
        double perPosition = alpha / Math.max(1, pValues.length);
        for (int i = 0; i < pValues.length; i++) {
            if (pValues[i] < perPosition) {
                fail(String.format(Locale.ROOT, "%s: sampled tokens at output position %d are not distributed as "
                                + "without speculation (chi-square p = %.3g < %.3g; %d samples of '%s' each side, "
                                + "%d draft tokens proposed, %d accepted)", speculated.label(), i + 1, pValues[i],
                        perPosition, samples, prompt, speculated.stats().draftTokens(),
                        speculated.stats().acceptedTokens()));
            }
        }
        return this;
    }
}
