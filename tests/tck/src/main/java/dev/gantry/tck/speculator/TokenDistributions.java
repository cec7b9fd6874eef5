package dev.gantry.tck.speculator;

import org.apache.commons.math3.stat.inference.ChiSquareTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether two samples of generated tokens come from one distribution, position by position: a chi-square test
 * of homogeneity on the token counts at each position (tokens seen fewer than {@value #MIN_POOLED} times in
 * both samples together are pooled into one category, so that no expected count is tiny).
 */
final class TokenDistributions {

    static final int MIN_POOLED = 10;

    private TokenDistributions() {
    }

    /**
     * The p-value of the homogeneity test at output position {@code position}, over the samples that reached it.
     * 1 when the position shows fewer than two categories (nothing to distinguish).
     */
    static double pValue(List<int[]> a, List<int[]> b, int position) {
        Map<Integer, long[]> counts = new TreeMap<>();
        count(a, position, 0, counts);
        count(b, position, 1, counts);
        List<long[]> columns = new ArrayList<>();
        long[] rare = new long[2];
        for (long[] c : counts.values()) {
            if (c[0] + c[1] >= MIN_POOLED) {
                columns.add(c);
            } else {
                rare[0] += c[0];
                rare[1] += c[1];
            }
        }
        if (rare[0] + rare[1] > 0) {
            columns.add(rare);
        }
        if (columns.size() < 2) {
            return 1;
        }
        long[][] table = new long[2][columns.size()];
        for (int j = 0; j < columns.size(); j++) {
            table[0][j] = columns.get(j)[0];
            table[1][j] = columns.get(j)[1];
        }
        if (rowTotal(table[0]) == 0 || rowTotal(table[1]) == 0) {
            return 0; // one sample never reached this position: not the same distribution of lengths
        }
        return new ChiSquareTest().chiSquareTest(table);
    }

    private static void count(List<int[]> samples, int position, int row, Map<Integer, long[]> counts) {
        for (int[] s : samples) {
            if (s.length > position) {
                counts.computeIfAbsent(s[position], k -> new long[2])[row]++;
            }
        }
    }

    private static long rowTotal(long[] row) {
        long t = 0;
        for (long v : row) {
            t += v;
        }
        return t;
    }
}
