package dev.gantry.gpu;

import java.lang.foreign.MemorySegment;

/**
 * Device memory and kernel launches: what the GPU code needs from a CUDA device. {@link JCudaLauncher} is the
 * real one (JCuda's driver API); the tests have one that runs the same launches on the CPU through the CUDA-on-
 * CPU harness. Launches run in order; {@link #download} waits for the launches before it.
 *
 * <p>Not thread-safe: one caller at a time.
 */
public interface KernelLauncher extends AutoCloseable {

    /** A short name for logs ("cuda:0", "cuda-cpu harness"). */
    String name();

    /** Allocates {@code bytes} of device memory (contents undefined). */
    GpuBuffer allocate(long bytes);

    /** Frees an allocation (not a slice). */
    void free(GpuBuffer buffer);

    /** Copies {@code src} (its whole size) to the start of {@code dst}. */
    void upload(MemorySegment src, GpuBuffer dst);

    /** Copies the start of {@code src} into {@code dst} (its whole size), after every launch so far. */
    void download(GpuBuffer src, MemorySegment dst);

    /** Queues a launch. */
    void launch(KernelLaunch launch);

    /** Waits for every launch so far. */
    void synchronize();

    @Override
    void close();

    /** Allocates a buffer holding {@code values}. */
    default GpuBuffer upload(float[] values) {
        GpuBuffer b = allocate(4L * values.length);
        upload(MemorySegment.ofArray(values), b);
        return b;
    }

    /** Allocates a buffer holding {@code values}. */
    default GpuBuffer upload(int[] values) {
        GpuBuffer b = allocate(4L * values.length);
        upload(MemorySegment.ofArray(values), b);
        return b;
    }

    /** Allocates a buffer holding a copy of {@code data}. */
    default GpuBuffer upload(MemorySegment data) {
        GpuBuffer b = allocate(data.byteSize());
        upload(data, b);
        return b;
    }

    /** Copies {@code dst.length} floats from the start of {@code src}. */
    default void download(GpuBuffer src, float[] dst) {
        download(src, MemorySegment.ofArray(dst));
    }

    /** Copies {@code dst.length} ints from the start of {@code src}. */
    default void download(GpuBuffer src, int[] dst) {
        download(src, MemorySegment.ofArray(dst));
    }

    /** Copies {@code count} floats to the start of {@code dst}. */
    default void upload(float[] values, int from, int count, GpuBuffer dst) {
        upload(MemorySegment.ofArray(values).asSlice(4L * from, 4L * count), dst);
    }
}
