package dev.gantry.engine.kv;

import java.util.HashMap;
import java.util.Map;

/**
 * Which block holds which full-block prefix: the lookup table of automatic prefix caching, in both
 * directions. At most one block is registered per key (a second block computed with the same content stays
 * private, as in vLLM, rather than being merged), and a block has at most one key.
 */
final class PrefixCacheIndex {

    private final Map<PrefixKey, Integer> blockByKey = new HashMap<>();
    private final PrefixKey[] keyByBlock;

    PrefixCacheIndex(int totalBlocks) {
        this.keyByBlock = new PrefixKey[totalBlocks];
    }

    /** The block registered under {@code key}, or -1. */
    int lookup(PrefixKey key) {
        Integer block = blockByKey.get(key);
        return block == null ? -1 : block;
    }

    /** The key {@code block} is registered under, or null. */
    PrefixKey keyOf(int block) {
        return keyByBlock[block];
    }

    boolean isRegistered(int block) {
        return keyByBlock[block] != null;
    }

    /**
     * Registers {@code block} under {@code key}.
     *
     * @return false, changing nothing, when another block already holds the key or the block has one
     */
    boolean register(int block, PrefixKey key) {
        if (keyByBlock[block] != null || blockByKey.putIfAbsent(key, block) != null) {
            return false;
        }
        keyByBlock[block] = key;
        return true;
    }

    /** Forgets the key of {@code block}, if it has one. */
    void unregister(int block) {
        PrefixKey key = keyByBlock[block];
        if (key != null) {
            blockByKey.remove(key, block);
            keyByBlock[block] = null;
        }
    }

    /** Number of registered blocks. */
    int size() {
        return blockByKey.size();
    }
}
