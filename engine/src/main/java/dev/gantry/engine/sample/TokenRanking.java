package dev.gantry.engine.sample;

/**
 * Orders tokens by value, highest first and the lower id first on ties, through one primitive {@code long}
 * per token, so that ranking a vocabulary needs no boxing and no comparator: ascending key order is the
 * ranking. Used by top-k, top-p and the top logprobs, which must all break ties the way greedy does.
 */
final class TokenRanking {

    private TokenRanking() {
    }

    /** The key of a token: its value's order inverted in the high half, its id in the low half. */
    static long key(float value, int id) {
        // NaN ranks last: it is never a sensible choice.
        int bits = Float.isNaN(value) ? Float.floatToIntBits(Float.NEGATIVE_INFINITY) : Float.floatToIntBits(value);
        // Flipping the magnitude bits of negative floats makes signed-int order equal float order.
        int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ~ordered << 32) | (id & 0xffffffffL);
    }

    /** The token id a key was made from. */
    static int id(long key) {
        return (int) key;
    }

    /**
     * Rearranges {@code keys[0..n)} so that its {@code k} smallest keys (the k best tokens) come first, in no
     * particular order; expected linear time, so top-k over a large vocabulary avoids a full sort.
     */
    static void selectBest(long[] keys, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi && k > lo && k <= hi) {
            long pivot = median(keys[lo], keys[(lo + hi) >>> 1], keys[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (keys[i] < pivot) {
                    i++;
                }
                while (keys[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = keys[i];
                    keys[i] = keys[j];
                    keys[j] = t;
                    i++;
                    j--;
                }
            }
            // Now keys[lo..j] <= pivot <= keys[i..hi]; keep partitioning the side holding the boundary.
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
