package dev.gantry.engine.kv;

/**
 * Keeps a second copy of the KV blocks — in a GPU's memory, say — in step with a {@link PagedKvCache}. The
 * mirror keeps its copy of each block under the cache's block id, so the cache's block tables, reference counts
 * and prefix cache serve both; what the mirror must be told are the changes to block contents the cache makes
 * itself. Slots written by a forward pass reach the mirror through that forward pass.
 *
 * <p>Not told: blocks released to the free list or the eviction list. Their contents stay as they were (an
 * evicted block is rewritten before it is read again, a cached one is read as it was), which is true of the
 * mirror's copy as well.
 *
 * <p>Called on the engine's loop thread, right after the cache made the same change to its own copy, and
 * before the block ids involved can be handed out again.
 */
public interface KvBlockMirror {

    /** A mirror that keeps nothing: the cache's default. */
    KvBlockMirror NONE = new KvBlockMirror() {
    };

    /** Copy-on-write: device block {@code to} takes a copy of block {@code from} in every layer. */
    default void copyBlock(int from, int to) {
    }

    /**
     * Slot {@code toOffset} of device block {@code toBlock} takes the keys and values of slot {@code fromOffset}
     * of block {@code fromBlock}, in every layer (keeping a verified draft path in path order). Offsets are
     * within blocks ({@code slot % blockSize}); calls come in the order the copies must happen.
     */
    default void copySlot(int fromBlock, int fromOffset, int toBlock, int toOffset) {
    }

    /** Swap-out: device block {@code deviceBlock} is copied to host block {@code hostBlock}, then released. */
    default void swapOut(int deviceBlock, int hostBlock) {
    }

    /** Swap-in: host block {@code hostBlock} is copied into device block {@code deviceBlock}, then released. */
    default void swapIn(int hostBlock, int deviceBlock) {
    }

    /** A swapped-out sequence was freed: host block {@code hostBlock} is released without being read. */
    default void releaseHost(int hostBlock) {
    }
}
