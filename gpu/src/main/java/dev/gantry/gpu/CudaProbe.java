package dev.gantry.gpu;

import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether CUDA can be used in this process, found out once. JCuda's classes fail in their static initialiser
 * with an {@link UnsatisfiedLinkError} when the driver ({@code libcuda.so.1}) is missing, and every later touch
 * with {@link NoClassDefFoundError}; both are {@link LinkageError}s, caught here once, so the rest of the code
 * only ever asks {@link #result()}.
 *
 * <p>Usable means: the jar holds the compiled kernels (the build found {@code nvcc}), the driver loads,
 * {@code cuInit} succeeds and at least one device exists.
 */
public final class CudaProbe {

    /**
     * What the probe found.
     *
     * @param unavailableReason why CUDA cannot be used, or empty
     * @param devices           device names with their memory, one per CUDA device
     * @param driverVersion     the driver's CUDA version (12080 for 12.8), or 0
     */
    public record Result(Optional<String> unavailableReason, List<String> devices, int driverVersion) {

        public boolean usable() {
            return unavailableReason.isEmpty();
        }
    }

    private static final class Holder {
        static final Result RESULT = run();
    }

    private CudaProbe() {
    }

    /** The probe's result (computed on first call). */
    public static Result result() {
        return Holder.RESULT;
    }

    /** Whether every kernel file's fatbin is packaged in this jar. */
    public static Optional<String> missingKernels() {
        List<String> missing = new ArrayList<>();
        for (KernelFamily f : KernelFamily.values()) {
            try (InputStream in = CudaProbe.class.getResourceAsStream(f.fatbinResource())) {
                if (in == null) {
                    missing.add(f.file());
                }
            } catch (java.io.IOException e) {
                missing.add(f.file());
            }
        }
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("this build has no compiled CUDA kernels (nvcc was not found when gantry-gpu was built;"
                + " missing " + String.join(", ", missing) + ")");
    }

    private static Result run() {
        Optional<String> missing = missingKernels();
        if (missing.isPresent()) {
            return new Result(missing, List.of(), 0);
        }
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] version = new int[1];
            JCudaDriver.cuDriverGetVersion(version);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                return new Result(Optional.of("the CUDA driver reports no device"), List.of(), version[0]);
            }
            List<String> devices = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                CUdevice device = new CUdevice();
                JCudaDriver.cuDeviceGet(device, i);
                byte[] name = new byte[256];
                JCudaDriver.cuDeviceGetName(name, name.length, device);
                long[] memory = new long[1];
                JCudaDriver.cuDeviceTotalMem(memory, device);
                String n = new String(name, java.nio.charset.StandardCharsets.US_ASCII).trim().replace("\0", "");
                devices.add(n + ", " + (memory[0] >> 30) + " GiB");
            }
            return new Result(Optional.empty(), List.copyOf(devices), version[0]);
        } catch (LinkageError e) {
            return new Result(Optional.of("no CUDA driver (" + rootMessage(e) + ")"), List.of(), 0);
        } catch (RuntimeException e) {  // jcuda.CudaException: cuInit failed (no device, driver/library mismatch)
            return new Result(Optional.of("cuInit failed: " + rootMessage(e)), List.of(), 0);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        // JCuda's load error carries nested stack traces; the line naming the missing library is the useful one.
        String line = m.lines().filter(l -> l.contains("cannot open shared object file")).findFirst()
                .orElse(m.lines().findFirst().orElse(m)).strip();
        int colon = line.indexOf(".so: ");
        if (colon > 0 && line.substring(0, colon).contains("JCuda")) {
            line = line.substring(colon + 5);  // drop the extracted JCuda library's temporary path
        }
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
