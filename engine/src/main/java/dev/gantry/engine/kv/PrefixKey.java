package dev.gantry.engine.kv;

import java.util.Arrays;

/**
 * Identifies the content of one full block for prefix caching: the token ids of the block and, through the
 * parent key, of every block before it. Two blocks with equal keys hold the KV of the same token prefix, so a
 * sequence can use one in place of computing the other.
 *
 * <p>The hash is chained (each key mixes its parent's hash with its own tokens) so hashing costs one block,
 * not the whole prefix. Equality never trusts the hash: it compares the token ids of every block back to the
 * first, stopping early where both chains reach the same parent object (the usual case, since lookups build
 * each key on the parent found in the cache). Immutable.
 */
final class PrefixKey {

    private final PrefixKey parent;
    private final int[] tokens;
    private final long hash;

    /** A key with a given hash; {@link #of} computes it (tests force collisions with this). */
    PrefixKey(PrefixKey parent, int[] tokens, long hash) {
        this.parent = parent;
        this.tokens = tokens;
        this.hash = hash;
    }

    /**
     * The key of the block holding {@code tokens[from .. from+count)} after the blocks keyed by {@code parent}.
     *
     * @param parent the previous block's key, or null for a sequence's first block
     */
    static PrefixKey of(PrefixKey parent, int[] tokens, int from, int count) {
        int[] own = Arrays.copyOfRange(tokens, from, from + count);
        long h = parent == null ? 0x2545F4914F6CDD1DL : parent.hash;
        for (int t : own) {
            h = mix(h ^ (t & 0xFFFFFFFFL));
        }
        return new PrefixKey(parent, own, h);
    }

    /** A 64-bit finaliser (splitmix64's): every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Number of blocks this key covers, its own included. */
    int depth() {
        int d = 0;
        for (PrefixKey k = this; k != null; k = k.parent) {
            d++;
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PrefixKey other)) {
            return false;
        }
        PrefixKey a = this;
        PrefixKey b = other;
        while (a != b) {
            if (a == null || b == null || a.hash != b.hash || !Arrays.equals(a.tokens, b.tokens)) {
                return false;
            }
            a = a.parent;
            b = b.parent;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hash);
    }

    @Override
    public String toString() {
        return "PrefixKey[depth " + depth() + ", tokens " + Arrays.toString(tokens) + "]";
    }
}
