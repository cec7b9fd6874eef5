package dev.gantry.runtime.nativeimage;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import dev.gantry.engine.tensor.VectorWidth;

import java.util.logging.Logger;

/**
 * Native images run the scalar kernels: the Vector API is an incubator module whose intrinsics native images do
 * not compile by default, and the scalar twins give the same results. With {@link #enabled()} a constant, the
 * vector kernel classes are unreachable and stay out of the image; {@link #choose(String)} keeps
 * {@code VectorWidth.BITS} at 0 for the log lines and benchmarks that read it.
 */
@TargetClass(VectorWidth.class)
final class Target_VectorWidth {

    @Substitute
    public static boolean enabled() {
        return false;
    }

    @Substitute
    private static int choose(String setting) {
        Logger.getLogger(VectorWidth.class.getName()).info(NativeImageLimits.SCALAR_KERNELS);
        return 0;
    }
}
