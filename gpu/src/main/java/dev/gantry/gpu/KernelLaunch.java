package dev.gantry.gpu;

import java.util.List;

/**
 * One kernel launch, fully described: the kernel's name in its {@link KernelFamily}'s file, the geometry, the
 * dynamic shared memory, and the arguments in the kernel's parameter order. {@link Kernels} builds these; the
 * JCuda launcher turns them into {@code cuLaunchKernel} calls and the CPU harness of the tests into
 * {@code hipLaunchKernelGGL} calls, so both run exactly the same launches.
 *
 * @param kernel      the kernel's (unmangled) name
 * @param grid        blocks
 * @param block       threads per block
 * @param sharedBytes dynamic shared memory per block
 * @param args        {@link GpuBuffer} for pointers, {@link Integer} for {@code int}, {@link Float} for
 *                    {@code float}, {@link Long} for {@code long long}
 */
public record KernelLaunch(String kernel, Dim3 grid, Dim3 block, int sharedBytes, List<Object> args) {

    /** The most threads a block may have. */
    public static final int MAX_BLOCK_THREADS = 1024;

    /** Dynamic shared memory a kernel may use without opting in per function. */
    public static final int DEFAULT_SHARED_LIMIT = 48 * 1024;

    public KernelLaunch {
        args = List.copyOf(args);
        if (block.count() > MAX_BLOCK_THREADS) {
            throw new IllegalArgumentException(kernel + ": " + block.count() + " threads per block, at most "
                    + MAX_BLOCK_THREADS);
        }
        if (sharedBytes < 0) {
            throw new IllegalArgumentException(kernel + ": negative shared memory");
        }
        for (Object a : args) {
            if (!(a instanceof GpuBuffer || a instanceof Integer || a instanceof Float || a instanceof Long)) {
                throw new IllegalArgumentException(kernel + ": an argument of type " + a.getClass().getName()
                        + " cannot be passed to a kernel");
            }
        }
    }

    /** The file (module) the kernel is in. */
    public KernelFamily family() {
        return KernelFamily.of(kernel);
    }
}
