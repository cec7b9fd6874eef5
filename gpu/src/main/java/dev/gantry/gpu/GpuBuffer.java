package dev.gantry.gpu;

/**
 * A range of device memory: an allocation of a {@link KernelLauncher}, or a slice of one. Kernels receive it as
 * a pointer argument.
 */
public interface GpuBuffer {

    /** Bytes in this range. */
    long bytes();

    /**
     * The range {@code [offset, offset + bytes)} of this one.
     *
     * @throws IndexOutOfBoundsException when it does not lie inside
     */
    GpuBuffer slice(long offset, long bytes);

    /** Checks a slice request against a range of {@code size} bytes. */
    static void checkSlice(long size, long offset, long bytes) {
        if (offset < 0 || bytes < 0 || offset + bytes > size) {
            throw new IndexOutOfBoundsException("slice [" + offset + ", " + (offset + bytes) + ") of a buffer of "
                    + size + " bytes");
        }
    }
}
