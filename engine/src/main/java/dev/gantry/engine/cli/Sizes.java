package dev.gantry.engine.cli;

import java.util.Locale;

/** Parses byte sizes such as {@code 512m} or {@code 4g} (powers of 1024) from the command line. */
final class Sizes {

    private Sizes() {
    }

    static long parseBytes(String option, String raw) {
        String s = raw.strip().toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                default -> shift = 0;
            }
        }
        try {
            long n = Long.parseLong(shift == 0 ? s : s.substring(0, s.length() - 1));
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, 1L << shift);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + ": '" + raw + "' is not a positive size such as 512m or 4g");
        }
    }
}
