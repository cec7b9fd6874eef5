package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

/**
 * Layers {@code [from, to)} of a model, 0-based: what a pipeline stage holds, or what a migration moves.
 *
 * @param from first layer held; ≥ 0
 * @param to   one past the last layer held; &gt; {@code from}
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record LayerRange(int from, int to) implements ModelSlice {

    /**
     * Checks the range.
     *
     * @throws IllegalArgumentException unless {@code 0 ≤ from < to}
     */
    public LayerRange {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("layer range [" + from + "," + to + ") must satisfy 0 ≤ from < to");
        }
    }

    /** {@return layers {@code [from, to)}} */
    public static LayerRange of(int from, int to) {
        return new LayerRange(from, to);
    }

    @Override
    public int size() {
        return to - from;
    }

    /**
     * Whether layer {@code layer} is in the range.
     *
     * @param layer the layer index
     * @return whether the range holds it
     */
    public boolean contains(int layer) {
        return layer >= from && layer < to;
    }

    /**
     * Number of layers both ranges hold (SpotServe's layer overlap between an old and a new stage); ≥ 0.
     *
     * @param other another range
     * @return how many layers both hold
     */
    public int overlap(LayerRange other) {
        return Math.max(0, Math.min(to, other.to) - Math.max(from, other.from));
    }

    @Override
    public String toString() {
        return "[" + from + "," + to + ")";
    }
}
