package dev.gantry.engine.tensor;

/**
 * The twelve-byte scale/min packing of Q4_K and Q5_K, written from its definition: for j &lt; 4 the
 * low six bits of bytes j (scale) and j+4 (min); for j &gt;= 4 byte j+4 holds the low nibbles (scale
 * low, min high) and the top two bits go to the spare top bits of bytes j-4 (scale) and j (min).
 */
final class KScaleMinsPacking {

    private KScaleMinsPacking() {
    }

    static void pack(int[] scales, int[] mins, byte[] data, int off) {
        for (int j = 0; j < 4; j++) {
            data[off + j] = (byte) (scales[j] & 63 | (scales[j + 4] >> 4) << 6);
            data[off + j + 4] = (byte) (mins[j] & 63 | (mins[j + 4] >> 4) << 6);
            data[off + j + 8] = (byte) (scales[j + 4] & 15 | (mins[j + 4] & 15) << 4);
        }
    }
}
