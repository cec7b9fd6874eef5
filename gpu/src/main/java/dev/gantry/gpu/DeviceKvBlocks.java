package dev.gantry.gpu;

import dev.gantry.engine.kv.KvBlockMirror;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A paged KV cache in device memory: per layer, keys and values as float32 laid out
 * [block][slot in block][kvHead][headDim], so that physical slot {@code block·blockSize + slot} is where the
 * attention kernels read it. Block ids are handed out by the owner (a free list in {@link CudaForward}, the
 * engine's {@link dev.gantry.engine.kv.PagedKvCache} for {@link CudaBatchForward}); as a {@link KvBlockMirror}
 * this follows the engine cache's own changes to block contents on the device: copy-on-write and slot copies
 * as device copies, swaps as copies to and from host arrays kept here under the engine's host block ids.
 *
 * <p>Not thread-safe; the loop thread (or the one caller) only.
 */
final class DeviceKvBlocks implements KvBlockMirror, AutoCloseable {

    /** Thread blocks of a device copy: enough to stream a KV block, few enough for a single slot. */
    private static final int COPY_BLOCKS = 64;

    private final KernelLauncher gpu;
    private final int kvDim;
    private final int blockSize;
    private final int blocks;
    private final GpuBuffer[] keys;
    private final GpuBuffer[] values;
    /** Swapped-out blocks by host block id: every layer's keys, then its values. */
    private final Map<Integer, float[]> host = new HashMap<>();
    private final ArrayDeque<float[]> spareHostBlocks = new ArrayDeque<>();

    /**
     * Allocates {@code blocks} blocks of {@code blockSize} slots in each of {@code layers} layers.
     *
     * @param kvDim floats of one slot's keys (and of its values): {@code kvHeads·headDim}
     */
    DeviceKvBlocks(KernelLauncher gpu, int layers, int kvDim, int blocks, int blockSize) {
        this.gpu = gpu;
        this.kvDim = kvDim;
        this.blockSize = blockSize;
        this.blocks = blocks;
        this.keys = new GpuBuffer[layers];
        this.values = new GpuBuffer[layers];
        long bytes = 4L * blocks * blockSize * kvDim;
        try {
            for (int l = 0; l < layers; l++) {
                keys[l] = gpu.allocate(bytes);
                values[l] = gpu.allocate(bytes);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Keys of layer {@code l}. */
    GpuBuffer keys(int l) {
        return keys[l];
    }

    /** Values of layer {@code l}. */
    GpuBuffer values(int l) {
        return values[l];
    }

    int blockSize() {
        return blockSize;
    }

    /** Blocks per layer. */
    int blocks() {
        return blocks;
    }

    /** The physical slot of slot {@code offset} of block {@code block}: what kernels index. */
    int physicalSlot(int block, int offset) {
        return block * blockSize + offset;
    }

    @Override
    public void copyBlock(int from, int to) {
        long floats = (long) blockSize * kvDim;
        for (int l = 0; l < keys.length; l++) {
            copy(keys[l], from * floats, to * floats, floats);
            copy(values[l], from * floats, to * floats, floats);
        }
    }

    @Override
    public void copySlot(int fromBlock, int fromOffset, int toBlock, int toOffset) {
        long from = (long) physicalSlot(fromBlock, fromOffset) * kvDim;
        long to = (long) physicalSlot(toBlock, toOffset) * kvDim;
        for (int l = 0; l < keys.length; l++) {
            copy(keys[l], from, to, kvDim);
            copy(values[l], from, to, kvDim);
        }
    }

    /** A device copy within one buffer; launches run in order, so copies chain as the mirror's calls do. */
    private void copy(GpuBuffer buffer, long fromFloat, long toFloat, long floats) {
        gpu.launch(Kernels.copyFloats(buffer.slice(4 * fromFloat, 4 * floats), buffer.slice(4 * toFloat, 4 * floats),
                floats, (int) Math.min(COPY_BLOCKS, (floats + Kernels.ELEMENTWISE_THREADS - 1)
                        / Kernels.ELEMENTWISE_THREADS)));
    }

    @Override
    public void swapOut(int deviceBlock, int hostBlock) {
        float[] copy = spareHostBlocks.isEmpty() ? new float[2 * keys.length * blockSize * kvDim]
                : spareHostBlocks.pop();
        MemorySegment to = MemorySegment.ofArray(copy);
        long bytes = 4L * blockSize * kvDim;
        for (int l = 0; l < keys.length; l++) {
            gpu.download(keys[l].slice(deviceBlock * bytes, bytes), to.asSlice(2L * l * bytes, bytes));
            gpu.download(values[l].slice(deviceBlock * bytes, bytes), to.asSlice((2L * l + 1) * bytes, bytes));
        }
        host.put(hostBlock, copy);
    }

    @Override
    public void swapIn(int hostBlock, int deviceBlock) {
        float[] copy = takeHost(hostBlock);
        MemorySegment from = MemorySegment.ofArray(copy);
        long bytes = 4L * blockSize * kvDim;
        for (int l = 0; l < keys.length; l++) {
            gpu.upload(from.asSlice(2L * l * bytes, bytes), keys[l].slice(deviceBlock * bytes, bytes));
            gpu.upload(from.asSlice((2L * l + 1) * bytes, bytes), values[l].slice(deviceBlock * bytes, bytes));
        }
        spareHostBlocks.push(copy);
    }

    @Override
    public void releaseHost(int hostBlock) {
        spareHostBlocks.push(takeHost(hostBlock));
    }

    private float[] takeHost(int hostBlock) {
        float[] copy = host.remove(hostBlock);
        if (copy == null) {
            throw new IllegalStateException("host block " + hostBlock + " holds no swapped-out KV block");
        }
        return copy;
    }

    /** Host blocks holding swapped-out KV now (tests). */
    int hostBlocksInUse() {
        return host.size();
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                gpu.free(keys[l]);
                keys[l] = null;
            }
            if (values[l] != null) {
                gpu.free(values[l]);
                values[l] = null;
            }
        }
        host.clear();
        spareHostBlocks.clear();
    }
}
