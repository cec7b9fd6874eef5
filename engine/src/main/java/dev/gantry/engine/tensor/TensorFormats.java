package dev.gantry.engine.tensor;

/**
 * Finds the {@link TensorFormat} for a {@link GgmlType}. Formats are stateless, so one shared instance
 * per type serves every tensor and thread.
 *
 * <p>{@link #of} gives the fastest implementation: the Vector API kernels for F32, F16, BF16, Q8_0 and Q4_0
 * when {@link VectorWidth#enabled()}, the scalar code otherwise and for the K-quants (which stay scalar: no
 * synthetic or reference model of ours uses them for its large matrices). {@link #scalar} always gives the
 * scalar twin, the reference the vector kernels are tested against.
 */
public final class TensorFormats {

    private static final TensorFormat F32 = new F32Format();
    private static final TensorFormat F16 = new F16Format();
    private static final TensorFormat BF16 = new BF16Format();
    private static final TensorFormat Q8_0 = new Q8_0Format();
    private static final TensorFormat Q4_0 = new Q4_0Format();
    private static final TensorFormat Q4_K = new Q4_KFormat();
    private static final TensorFormat Q5_K = new Q5_KFormat();
    private static final TensorFormat Q6_K = new Q6_KFormat();

    // The vector classes are only loaded (and their species only resolved) when the Vector API is on.
    private static final TensorFormat FAST_F32 = VectorWidth.enabled() ? new F32VectorFormat() : F32;
    private static final TensorFormat FAST_F16 = VectorWidth.enabled() ? new F16VectorFormat() : F16;
    private static final TensorFormat FAST_BF16 = VectorWidth.enabled() ? new BF16VectorFormat() : BF16;
    private static final TensorFormat FAST_Q8_0 = VectorWidth.enabled() ? new Q8_0VectorFormat() : Q8_0;
    private static final TensorFormat FAST_Q4_0 = VectorWidth.enabled() ? new Q4_0VectorFormat() : Q4_0;

    private TensorFormats() {
    }

    /** The fastest format that encodes {@code type} on this JVM (vector kernels where available). */
    public static TensorFormat of(GgmlType type) {
        return switch (type) {
            case F32 -> FAST_F32;
            case F16 -> FAST_F16;
            case BF16 -> FAST_BF16;
            case Q8_0 -> FAST_Q8_0;
            case Q4_0 -> FAST_Q4_0;
            case Q4_K -> Q4_K;
            case Q5_K -> Q5_K;
            case Q6_K -> Q6_K;
        };
    }

    /** The scalar implementation of {@code type}: the reference twin of {@link #of}. */
    public static TensorFormat scalar(GgmlType type) {
        return switch (type) {
            case F32 -> F32;
            case F16 -> F16;
            case BF16 -> BF16;
            case Q8_0 -> Q8_0;
            case Q4_0 -> Q4_0;
            case Q4_K -> Q4_K;
            case Q5_K -> Q5_K;
            case Q6_K -> Q6_K;
        };
    }
}
