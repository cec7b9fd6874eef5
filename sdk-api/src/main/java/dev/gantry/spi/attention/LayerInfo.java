package dev.gantry.spi.attention;

import dev.gantry.spi.Api;

/**
 * The attention geometry of one layer.
 *
 * @param index   layer index, 0-based
 * @param layers  number of layers in the model
 * @param heads   query heads
 * @param kvHeads key/value heads; query head {@code h} reads kv head {@code h / (heads / kvHeads)}
 * @param headDim elements per head
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record LayerInfo(int index, int layers, int heads, int kvHeads, int headDim) {

    /**
     * Checks the geometry.
     *
     * @throws IllegalArgumentException when the index is out of range or the head counts do not divide
     */
    public LayerInfo {
        if (index < 0 || index >= layers || heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0 || headDim <= 0) {
            throw new IllegalArgumentException("invalid layer: " + index + "/" + layers + ", heads " + heads
                    + ", kvHeads " + kvHeads + ", headDim " + headDim);
        }
    }

    /**
     * The kv head that query head {@code head} attends with.
     *
     * @param head the query head
     * @return its key/value head
     */
    public int kvHeadOf(int head) {
        return head / (heads / kvHeads);
    }

    /** {@return the standard softmax scale {@code 1/sqrt(headDim)}} */
    public float scale() {
        return (float) (1.0 / Math.sqrt(headDim));
    }
}
