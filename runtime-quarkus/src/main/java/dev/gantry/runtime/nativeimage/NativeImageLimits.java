package dev.gantry.runtime.nativeimage;

import java.nio.file.Path;

/**
 * What a native image of the service does differently from the JVM, in the words it logs and fails with.
 */
public final class NativeImageLimits {

    private NativeImageLimits() {
    }

    /** Why a native image serves on the scalar kernels. */
    public static final String SCALAR_KERNELS = "native image: the Vector API kernels are not compiled into native"
            + " images; running the scalar kernels (same results; use the JVM image for SIMD speed)";

    /**
     * The start-up error when {@code gantry.plugin-path} is set in a native image.
     *
     * @param pluginPath the configured directory
     */
    public static String pluginPathRefused(Path pluginPath) {
        return "gantry.plugin-path=" + pluginPath + ": third-party plugin jars are a JVM feature; this native image"
                + " carries the bundled plugins only (baseline). Remove gantry.plugin-path, or run the JVM image"
                + " (Dockerfile.jvm, java -jar quarkus-run.jar) to load plugins from a directory";
    }
}
