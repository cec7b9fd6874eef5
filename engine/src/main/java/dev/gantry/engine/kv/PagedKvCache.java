package dev.gantry.engine.kv;

import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvCodecSpec;
import dev.gantry.spi.kv.KvLayout;
import dev.gantry.spi.scheduler.KvBudget;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The paged KV cache: fixed-size blocks of device memory handed to sequences through block tables, shared
 * between sequences with a common token prefix (automatic prefix caching), copied before a shared block is
 * written (copy-on-write), and moved to a bounded host pool when the scheduler preempts by swap. It exists so
 * that the KV of many sequences fits one budget without fragmentation, and so that running out of blocks is
 * an ordinary answer ({@code false}) the scheduler handles with preemption, never an exception.
 *
 * <p>Two sequences whose prompts share their first 40 tokens, 16 tokens per block. Blocks 7 and 3 are full,
 * registered in the prefix cache and held by both (reference count 2); from token 40 on the prompts differ,
 * so each sequence holds blocks of its own:
 * <pre>
 *   slot            0           16          32    40    48          64
 *                   |           |           |     :     |           |
 *   A's table       [     7     |     3     |     12    |     5     ]
 *   B's table       [     7     |     3     |     9     |     4     ]
 *                   '------ shared -------' '------- each sequence's own -------'
 *
 *   one table, in slot order:
 *   | attached from the cache | computed, full, keyed | computed, partly full | reserved room |
 *                             ^ commitFullBlocks registers these after the forward pass that wrote them
 * </pre>
 * B found A's first two blocks on {@link #attachCachedPrefix} (32 tokens it does not compute) and computes the
 * block holding tokens 32..47 itself. Were B truncated to 20 tokens and grown again, its next slot would land
 * in shared block 3: {@link #reserve} first copies block 3 into a private block and swaps it into B's table,
 * and A keeps reading the original.
 *
 * <p>Memory: blocks are sized from the codec's {@link KvCodecSpec#blockBytes} summed over layers; the codec
 * owns the bytes inside a block, this class only ever copies whole blocks or asks the codec to copy a slot.
 * A {@link KvBlockMirror} keeps a second copy of the blocks under the same ids (a GPU's resident forward pass
 * keeps its KV so) in step with those copies and with swaps.
 *
 * <p>Threading: every method is called from the engine's loop thread. Compute threads read and write block
 * contents through {@link PagedKvView}s on distinct slots while the loop thread waits; nothing here is
 * synchronised. The token loop allocates nothing: block ids live in int arrays, the cached blocks in an
 * intrusive list; a prefix key (one small object) is made once per full block.
 */
public final class PagedKvCache implements AutoCloseable {

    private final KVCodec codec;
    private final KvCacheConfig config;
    private final int blockSize;
    private final KvLayout[] layouts;
    private final long bytesPerBlock;
    private final KvBlockMemory memory;
    private final BlockAllocator allocator;
    private final HostSwapPool host;
    private KvBlockMirror mirror = KvBlockMirror.NONE;
    private long prefixQueryTokens;
    private long prefixHitTokens;
    private long copyOnWriteCopies;
    private long swapsOut;
    private long swapsIn;

    /**
     * Allocates the device blocks and the host swap pool.
     *
     * @param codec   how slots are stored; one instance serves every layer
     * @param layers  number of layers
     * @param kvHeads key/value heads per layer
     * @param headDim elements per head
     * @throws IllegalArgumentException when the device budget cannot hold one block, when a non-zero host
     *                                  budget cannot hold one block, or when the codec declares
     *                                  full-precision windows or grouped encoding (not run yet)
     */
    public PagedKvCache(KVCodec codec, int layers, int kvHeads, int headDim, KvCacheConfig config) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.config = Objects.requireNonNull(config, "config");
        this.blockSize = config.blockSize();
        if (layers < 1) {
            throw new IllegalArgumentException("a KV cache needs at least one layer, got " + layers);
        }
        this.layouts = new KvLayout[layers];
        long[] layerBlockBytes = new long[layers];
        long perBlock = 0;
        for (int l = 0; l < layers; l++) {
            layouts[l] = new KvLayout(l, layers, kvHeads, headDim, blockSize);
            KvCodecSpec spec = codec.spec(layouts[l]);
            if (spec.recentWindow() > 0 || spec.sinkTokens() > 0 || spec.encodeGroup() > 1) {
                // Windows and grouped encoding arrive with the first codec that needs them (SKVQ).
                throw new IllegalArgumentException("KV codec '" + codec.name()
                        + "' declares full-precision windows or grouped encoding, which this engine does not run yet");
            }
            layerBlockBytes[l] = spec.blockBytes(blockSize);
            perBlock += layerBlockBytes[l];
        }
        this.bytesPerBlock = perBlock;
        long blocks = config.deviceBudgetBytes() / perBlock;
        if (blocks < 1) {
            throw new IllegalArgumentException("a KV budget of " + config.deviceBudgetBytes()
                    + " bytes cannot hold one block of " + blockSize + " tokens (" + perBlock + " bytes over "
                    + layers + " layers with codec " + codec.name() + ")");
        }
        long hostBlocks = config.hostSwapBytes() / perBlock;
        if (config.hostSwapBytes() > 0 && hostBlocks < 1) {
            throw new IllegalArgumentException("a host swap budget of " + config.hostSwapBytes()
                    + " bytes cannot hold one block of " + blockSize + " tokens (" + perBlock
                    + " bytes with codec " + codec.name() + "); use 0 to turn swapping off");
        }
        int totalBlocks = (int) Math.min(blocks, Integer.MAX_VALUE / 2);
        this.memory = new KvBlockMemory(layerBlockBytes, totalBlocks);
        this.allocator = new BlockAllocator(totalBlocks);
        this.host = new HostSwapPool(memory, (int) Math.min(hostBlocks, Integer.MAX_VALUE / 2));
    }

    /**
     * From now on, tells {@code mirror} about every change to block contents this cache makes itself
     * (copy-on-write, slot copies, swaps), so that a second copy of the blocks, kept under the same block ids,
     * follows this one. One mirror at a time; {@link KvBlockMirror#NONE} stops mirroring.
     */
    public void mirrorTo(KvBlockMirror mirror) {
        this.mirror = Objects.requireNonNull(mirror, "mirror");
    }

    /** A new, empty sequence of this cache. */
    public SequenceBlocks newSequence() {
        return new SequenceBlocks(this);
    }

    /**
     * Automatic prefix caching: attaches to an empty sequence the longest run of cached full blocks whose
     * tokens (and every token before them) equal {@code tokens[0 .. count)}. Never attaches all {@code count}
     * tokens: at least the last one must still be computed for its logits, so at most
     * {@code ((count - 1) / blockSize) · blockSize} tokens are attached. Counted in
     * {@link KvCacheStats#prefixQueryTokens()} ({@code count}) and {@link KvCacheStats#prefixHitTokens()}.
     *
     * @return the tokens now present in {@code s} (slots {@code 0 .. result-1}, positions equal to slots);
     *         0 when prefix caching is off
     * @throws IllegalStateException when {@code s} holds slots or blocks already
     */
    public int attachCachedPrefix(SequenceBlocks s, int[] tokens, int count) {
        requireOnDevice(s);
        if (s.length != 0 || s.blockCount != 0) {
            throw new IllegalStateException("a cached prefix attaches only to an empty sequence: " + s);
        }
        Objects.checkFromIndexSize(0, count, tokens.length);
        if (!config.prefixCaching()) {
            return 0;
        }
        prefixQueryTokens += count;
        int candidates = count == 0 ? 0 : (count - 1) / blockSize;
        s.ensureCapacity(candidates);
        PrefixCacheIndex index = allocator.prefixes();
        PrefixKey parent = null;
        int attached = 0;
        while (attached < candidates) {
            int block = index.lookup(PrefixKey.of(parent, tokens, attached * blockSize, blockSize));
            if (block < 0) {
                break;
            }
            allocator.retain(block);
            // Chain on the cached key itself: later lookups then compare parents by identity.
            parent = index.keyOf(block);
            s.blocks[attached] = block;
            s.keys[attached] = parent;
            attached++;
        }
        int slots = attached * blockSize;
        System.arraycopy(tokens, 0, s.tokens, 0, slots);
        for (int i = 0; i < slots; i++) {
            s.positions[i] = i;
        }
        s.blockCount = attached;
        s.keyedBlocks = attached;
        s.length = slots;
        prefixHitTokens += slots;
        return slots;
    }

    /**
     * Makes room for {@code length() + extraSlots} slots. New blocks come from the free blocks, then from
     * cached blocks no sequence holds, least recently released first. When the block that will receive the
     * next slot is shared or holds a cached prefix, it is first copied into a private block that takes its
     * place in the table (copy-on-write) — or, when no block is left for the copy and {@code s} is its only
     * holder, it gives up its cache entry and is written in place.
     *
     * @return false, changing nothing, when there are not enough blocks (the scheduler then preempts)
     */
    public boolean reserve(SequenceBlocks s, int extraSlots) {
        requireOnDevice(s);
        if (extraSlots < 0) {
            throw new IllegalArgumentException("extraSlots must be ≥ 0, got " + extraSlots);
        }
        if (extraSlots == 0) {
            return true;
        }
        if ((long) s.length + extraSlots > (long) allocator.totalBlocks() * blockSize) {
            return false;
        }
        int needed = ceilBlocks(s.length + extraSlots);
        int grow = Math.max(0, needed - s.blockCount);
        int nextIndex = s.length / blockSize;
        boolean unshare = nextIndex < s.blockCount && !allocator.isPrivate(s.blocks[nextIndex]);
        int available = allocator.available();
        boolean copy = unshare;
        if (grow + (unshare ? 1 : 0) > available) {
            boolean inPlace = unshare && allocator.refCount(s.blocks[nextIndex]) == 1 && grow <= available;
            if (!inPlace) {
                return false;
            }
            copy = false;
        }
        s.ensureCapacity(needed);
        if (unshare) {
            makePrivate(s, nextIndex, copy);
        }
        while (s.blockCount < needed) {
            s.blocks[s.blockCount++] = allocator.allocate();
        }
        return true;
    }

    /**
     * Claims the next slot for {@code token} at {@code position}; room must have been {@link #reserve reserved}.
     *
     * @return the slot, {@code length()} before the call
     * @throws IllegalStateException when no room is reserved, or the slot's block is not private (reserve
     *                               was skipped after a truncate)
     */
    public int appendSlot(SequenceBlocks s, int token, int position) {
        requireOnDevice(s);
        int slot = s.length;
        int index = slot / blockSize;
        if (index >= s.blockCount) {
            throw new IllegalStateException("slot " + slot + " was not reserved: " + s);
        }
        if (!allocator.isPrivate(s.blocks[index])) {
            throw new IllegalStateException("slot " + slot + " lies in shared or cached block " + s.blocks[index]
                    + "; reserve before appending so it is copied first");
        }
        s.tokens[slot] = token;
        s.positions[slot] = position;
        s.length = slot + 1;
        return slot;
    }

    /**
     * Registers in the prefix cache every full block of {@code s} not yet keyed, so other sequences can share
     * it. Call after the forward pass that wrote the blocks' KV (and after any {@link #copySlot} and
     * {@link #truncate} that settle a draft tree). Stops at the first block holding a slot whose position is
     * not its slot index (unsettled draft-tree nodes: their KV is not that of a plain prefix). A block whose
     * content is already cached in another block stays private. Does nothing when prefix caching is off.
     */
    public void commitFullBlocks(SequenceBlocks s) {
        requireOnDevice(s);
        if (!config.prefixCaching()) {
            return;
        }
        int full = s.length / blockSize;
        PrefixCacheIndex index = allocator.prefixes();
        for (int i = s.keyedBlocks; i < full; i++) {
            int first = i * blockSize;
            for (int slot = first; slot < first + blockSize; slot++) {
                if (s.positions[slot] != slot) {
                    return;
                }
            }
            PrefixKey key = PrefixKey.of(i == 0 ? null : s.keys[i - 1], s.tokens, first, blockSize);
            index.register(s.blocks[i], key);
            s.keys[i] = key;
            s.keyedBlocks = i + 1;
        }
    }

    /**
     * Drops slots {@code newLength ..} (speculative decoding rejecting draft nodes) and releases the blocks no
     * longer needed, reserved room included. A block left partly full keeps any cached content; the next
     * {@link #reserve} copies it before writing.
     */
    public void truncate(SequenceBlocks s, int newLength) {
        requireOnDevice(s);
        if (newLength < 0 || newLength > s.length) {
            throw new IllegalArgumentException("cannot truncate " + s.length + " slots to " + newLength);
        }
        s.length = newLength;
        s.dropKeysFrom(newLength / blockSize);
        releaseTail(s, ceilBlocks(newLength));
    }

    /**
     * Copies the KV of slot {@code fromSlot} over slot {@code toSlot} in every layer, through
     * {@link KVCodec#copySlot}, with its token id and position; the engine keeps a verified draft path's KV in
     * path order this way. A shared or cached target block is copied first, as in {@link #reserve}.
     *
     * @throws IllegalStateException when the target block is shared and no block is left to copy it into
     */
    public void copySlot(SequenceBlocks s, int fromSlot, int toSlot) {
        requireOnDevice(s);
        Objects.checkIndex(fromSlot, s.length);
        Objects.checkIndex(toSlot, s.length);
        if (fromSlot == toSlot) {
            return;
        }
        int toIndex = toSlot / blockSize;
        if (!allocator.isPrivate(s.blocks[toIndex])) {
            boolean copy = allocator.available() > 0;
            if (!copy && allocator.refCount(s.blocks[toIndex]) > 1) {
                throw new IllegalStateException("no free block to copy shared block " + s.blocks[toIndex]
                        + " into before writing slot " + toSlot);
            }
            makePrivate(s, toIndex, copy);
        }
        s.dropKeysFrom(toIndex);
        int fromBlock = s.blocks[fromSlot / blockSize];
        int toBlock = s.blocks[toIndex];
        int position = s.positions[fromSlot];
        for (int l = 0; l < layouts.length; l++) {
            codec.copySlot(layouts[l], memory.block(l, fromBlock), fromSlot % blockSize, memory.block(l, toBlock),
                    toSlot % blockSize, position);
        }
        mirror.copySlot(fromBlock, fromSlot % blockSize, toBlock, toSlot % blockSize);
        s.tokens[toSlot] = s.tokens[fromSlot];
        s.positions[toSlot] = position;
    }

    /**
     * Releases every block of {@code s}, tail first (as vLLM does: the head of a prompt, the most shareable
     * part, is then evicted last). A block keeping a cached prefix stays cached, most recently released last;
     * others become free. A swapped sequence gives back its host blocks. {@code s} is empty afterwards and may
     * be used again.
     */
    public void free(SequenceBlocks s) {
        requireOwned(s);
        if (s.swapped) {
            for (int i = s.blockCount - 1; i >= 0; i--) {
                host.give(s.blocks[i]);
                mirror.releaseHost(s.blocks[i]);
            }
            s.blockCount = 0;
            s.swapped = false;
        } else {
            releaseTail(s, 0);
        }
        s.length = 0;
        s.dropKeysFrom(0);
    }

    /**
     * Preemption by swap: copies the blocks holding {@code s}'s slots (every layer, raw bytes) to the host pool
     * and releases its device blocks, tail first. Tokens and positions stay readable.
     *
     * @return false, changing nothing, when swapping is off or the host pool lacks room
     */
    public boolean swapOut(SequenceBlocks s) {
        requireOnDevice(s);
        int inUse = s.blocksInUse();
        if (host.totalBlocks() == 0 || inUse > host.freeBlocks()) {
            return false;
        }
        for (int i = s.blockCount - 1; i >= 0; i--) {
            int deviceBlock = s.blocks[i];
            if (i < inUse) {
                int hostBlock = host.take();
                host.copyFromDevice(deviceBlock, hostBlock);
                mirror.swapOut(deviceBlock, hostBlock);
                s.blocks[i] = hostBlock;
            }
            allocator.release(deviceBlock);
        }
        s.blockCount = inUse;
        s.dropKeysFrom(0);
        s.swapped = true;
        swapsOut++;
        return true;
    }

    /**
     * Copies a swapped sequence back into newly allocated device blocks (evicting cached blocks if needed) and
     * frees its host blocks. The blocks come back private; {@link #commitFullBlocks} keys them again.
     *
     * @return false, changing nothing, when the device lacks blocks
     * @throws IllegalStateException when {@code s} is not swapped out
     */
    public boolean swapIn(SequenceBlocks s) {
        requireOwned(s);
        if (!s.swapped) {
            throw new IllegalStateException("sequence is not swapped out: " + s);
        }
        if (s.blockCount > allocator.available()) {
            return false;
        }
        for (int i = 0; i < s.blockCount; i++) {
            int hostBlock = s.blocks[i];
            int deviceBlock = allocator.allocate();
            host.copyToDevice(hostBlock, deviceBlock);
            mirror.swapIn(hostBlock, deviceBlock);
            host.give(hostBlock);
            s.blocks[i] = deviceBlock;
        }
        s.swapped = false;
        swapsIn++;
        return true;
    }

    /** The memory of block {@code blockId} in layer {@code layer}, in the codec's layout. */
    public MemorySegment block(int layer, int blockId) {
        return memory.block(layer, blockId);
    }

    /** The layout of layer {@code layer}. */
    public KvLayout layout(int layer) {
        return layouts[layer];
    }

    /** The codec blocks are stored with. */
    public KVCodec codec() {
        return codec;
    }

    /** Tokens per block. */
    public int blockSize() {
        return blockSize;
    }

    /** Number of layers. */
    public int layers() {
        return layouts.length;
    }

    /** Device bytes of one block, all layers. */
    public long bytesPerBlock() {
        return bytesPerBlock;
    }

    /** The configuration this cache was built with. */
    public KvCacheConfig config() {
        return config;
    }

    /** What the scheduler may plan with; cached blocks no sequence holds count as free. */
    public KvBudget budget() {
        return new KvBudget(blockSize, allocator.totalBlocks(), allocator.available(), host.totalBlocks(),
                host.freeBlocks(), bytesPerBlock);
    }

    /** Occupancy and counters now. */
    public KvCacheStats stats() {
        int total = allocator.totalBlocks();
        return new KvCacheStats(total, allocator.usedBlocks(), allocator.freeBlocks(), allocator.cachedBlocks(),
                (double) allocator.usedBlocks() / total, (double) allocator.peakUsedBlocks() / total,
                prefixQueryTokens, prefixHitTokens, allocator.evictions(), copyOnWriteCopies, swapsOut, swapsIn);
    }

    /** Frees the device memory and the host pool; no block may be used afterwards. */
    @Override
    public void close() {
        host.close();
        memory.close();
    }

    /** How many sequences hold {@code block} (tests). */
    int refCount(int block) {
        return allocator.refCount(block);
    }

    /** Whether {@code block} keeps a cached prefix (tests). */
    boolean isCached(int block) {
        return allocator.prefixes().isRegistered(block);
    }

    /** The free blocks (tests). */
    int[] freeBlockIds() {
        return allocator.freeBlockIds();
    }

    /** Cached blocks no sequence holds, next to be evicted first (tests). */
    int[] evictionOrder() {
        return allocator.evictionOrder();
    }

    /**
     * Gives table entry {@code index} of {@code s} a block only {@code s} holds and no prefix is kept in:
     * a copy of the current one ({@code copy}; a block must be available), or the current one itself, dropped
     * from the prefix cache (only when {@code s} is its sole holder).
     */
    private void makePrivate(SequenceBlocks s, int index, boolean copy) {
        int shared = s.blocks[index];
        if (copy) {
            int own = allocator.allocate();
            memory.copyBlock(shared, own);
            mirror.copyBlock(shared, own);
            s.blocks[index] = own;
            allocator.release(shared);
            copyOnWriteCopies++;
        } else {
            allocator.prefixes().unregister(shared);
        }
        s.dropKeysFrom(index);
    }

    /** Releases table entries {@code keep ..} of {@code s}, last first. */
    private void releaseTail(SequenceBlocks s, int keep) {
        while (s.blockCount > keep) {
            allocator.release(s.blocks[--s.blockCount]);
        }
    }

    private int ceilBlocks(int slots) {
        return (slots + blockSize - 1) / blockSize;
    }

    private void requireOwned(SequenceBlocks s) {
        if (s.owner != this) {
            throw new IllegalArgumentException("the sequence belongs to another KV cache");
        }
    }

    private void requireOnDevice(SequenceBlocks s) {
        requireOwned(s);
        if (s.swapped) {
            throw new IllegalStateException("the sequence is swapped out; swap it in first");
        }
    }
}
