package dev.gantry.engine.tensor;

import java.util.Locale;
import java.util.logging.Logger;

/**
 * The SIMD width every vector kernel uses, chosen once per JVM. The Vector API only compiles to machine
 * vectors when the species is a constant, so the choice lives in a {@code static final} that the kernels read
 * into their own {@code static final} species.
 *
 * <p>The system property {@code gantry.vector} overrides the choice: {@code off} runs the scalar twins,
 * {@code 128}, {@code 256} or {@code 512} force a width (tests use this to check every width against the
 * scalar code; a width wider than the machine's still computes correctly, only slowly), and {@code auto}
 * (the default) takes the machine's preferred width. Without the {@code jdk.incubator.vector} module on the
 * module graph ({@code --add-modules jdk.incubator.vector}) the kernels are off whatever the property says,
 * so that the engine still runs, on the scalar code.
 */
public final class VectorWidth {

    private static final Logger LOG = Logger.getLogger(VectorWidth.class.getName());

    /** The system property that overrides the width. */
    public static final String PROPERTY = "gantry.vector";

    /** Bits per vector for the kernels: 128, 256 or 512, or 0 when the scalar code runs. */
    public static final int BITS = choose(System.getProperty(PROPERTY, "auto"));

    private VectorWidth() {
    }

    /** Whether the vector kernels are in use. */
    public static boolean enabled() {
        return BITS != 0;
    }

    /** A readable description for logs and benchmark output ("vector 512-bit", "scalar (gantry.vector=off)"). */
    public static String describe() {
        return BITS == 0 ? "scalar" : "vector " + BITS + "-bit";
    }

    private static int choose(String setting) {
        String s = setting.trim().toLowerCase(Locale.ROOT);
        if (s.equals("off") || s.equals("scalar") || s.equals("0")) {
            return 0;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            LOG.warning("the Vector API module is missing (add --add-modules jdk.incubator.vector): "
                    + "running the scalar kernels");
            return 0;
        }
        return switch (s) {
            case "auto", "" -> preferredBits();
            case "128", "256", "512" -> Integer.parseInt(s);
            default -> throw new IllegalArgumentException(
                    PROPERTY + " must be off, auto, 128, 256 or 512; was '" + setting + "'");
        };
    }

    /** The machine's preferred width; below 128 bits (no useful SIMD) the scalar code is faster. */
    private static int preferredBits() {
        int bits = jdk.incubator.vector.VectorShape.preferredShape().vectorBitSize();
        return bits >= 128 ? Math.min(bits, 512) : 0;
    }
}
