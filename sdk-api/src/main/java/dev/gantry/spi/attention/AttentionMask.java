package dev.gantry.spi.attention;

import dev.gantry.spi.Api;

/**
 * Which stored keys each query of a call may attend to. Slots are indices into the sequence's
 * {@link KvSequenceView}; every query's own key is already stored when the backend is called.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public sealed interface AttentionMask {

    /**
     * Whether query {@code query} may attend to the key in slot {@code slot}.
     *
     * @param query the query, from 0
     * @param slot  the slot
     * @return whether it is visible
     */
    boolean visible(int query, int slot);

    /**
     * One past the last slot query {@code query} may see; no slot at or beyond it is visible.
     *
     * @param query the query, from 0
     * @return the end, exclusive
     */
    int end(int query);

    /**
     * Ordinary causal attention: query {@code i} sees slots {@code 0 .. firstQuerySlot + i}.
     *
     * @param firstQuerySlot the slot holding the first query's own key
     */
    record Causal(int firstQuerySlot) implements AttentionMask {
        @Override
        public boolean visible(int query, int slot) {
            return slot <= firstQuerySlot + query;
        }

        @Override
        public int end(int query) {
            return firstQuerySlot + query + 1;
        }
    }

    /**
     * A draft tree: query {@code i} is tree node {@code i}, whose key is in slot {@code baseSlot + i}; it sees
     * every committed slot below {@code baseSlot} and the slots of its ancestors and itself.
     *
     * @param baseSlot the slot of tree node 0 (the pending token), which is the committed length
     * @param parents  parent node index per node, {@code -1} for node 0
     */
    record Tree(int baseSlot, int[] parents) implements AttentionMask {
        /** Copies the parents. */
        public Tree {
            parents = parents.clone();
        }

        @Override
        public boolean visible(int query, int slot) {
            if (slot < baseSlot) {
                return true;
            }
            int node = slot - baseSlot;
            for (int n = query; n >= 0; n = parents[n]) {
                if (n == node) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int end(int query) {
            return baseSlot + query + 1;
        }

        /** {@return a copy of the parent index per node} */
        @Override
        public int[] parents() {
            return parents.clone();
        }
    }
}
