package dev.gantry.engine.tensor;

import java.util.Random;

/**
 * IEEE half precision written out from its definition, so tests can state expected values without
 * trusting the conversions the formats use.
 */
final class ReferenceHalf {

    private ReferenceHalf() {
    }

    /** The value of half-precision {@code bits}: sign, 5-bit exponent biased by 15, 10-bit fraction. */
    static float value(int bits) {
        int sign = (bits >>> 15) & 1;
        int exponent = (bits >>> 10) & 0x1F;
        int fraction = bits & 0x3FF;
        double magnitude;
        if (exponent == 0x1F) {
            magnitude = fraction == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exponent == 0) {
            magnitude = Math.scalb((double) fraction, -24);
        } else {
            magnitude = Math.scalb(1024.0 + fraction, exponent - 25);
        }
        return (float) (sign == 1 ? -magnitude : magnitude);
    }

    /** Random normal half bits with exponent field in {@code [minExp, maxExp]}, positive or either sign. */
    static int random(Random rnd, int minExp, int maxExp, boolean signed) {
        int sign = signed && rnd.nextBoolean() ? 1 : 0;
        int exponent = minExp + rnd.nextInt(maxExp - minExp + 1);
        return sign << 15 | exponent << 10 | rnd.nextInt(1024);
    }

    /** Writes {@code bits} little-endian at {@code off}. */
    static void put(byte[] data, int off, int bits) {
        data[off] = (byte) bits;
        data[off + 1] = (byte) (bits >>> 8);
    }
}
