package dev.gantry.spi.kv;

import dev.gantry.spi.Api;

/**
 * What a KV codec stores for one layer: per token, {@code kvHeads × headDim} key elements and as many value
 * elements, for {@code blockSize} tokens per block.
 *
 * @param layer     layer index, 0-based
 * @param layers    number of layers
 * @param kvHeads   key/value heads
 * @param headDim   elements per head
 * @param blockSize tokens per KV block
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record KvLayout(int layer, int layers, int kvHeads, int headDim, int blockSize) {

    /**
     * Checks the geometry.
     *
     * @throws IllegalArgumentException when the layer is out of range or a size is not positive
     */
    public KvLayout {
        if (layer < 0 || layer >= layers || kvHeads <= 0 || headDim <= 0 || blockSize <= 0) {
            throw new IllegalArgumentException("invalid KV layout: layer " + layer + "/" + layers + ", kvHeads "
                    + kvHeads + ", headDim " + headDim + ", blockSize " + blockSize);
        }
    }

    /** {@return key (or value) elements per token: {@code kvHeads × headDim}} */
    public int kvDim() {
        return kvHeads * headDim;
    }
}
