package dev.gantry.engine.tensor;

/**
 * Finds the {@link TensorFormat} for a {@link GgmlType}. Formats are stateless, so one shared instance
 * per type serves every tensor and thread.
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

    private TensorFormats() {
    }

    /** The format that encodes {@code type}. */
    public static TensorFormat of(GgmlType type) {
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
