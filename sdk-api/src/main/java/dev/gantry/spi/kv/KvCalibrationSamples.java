package dev.gantry.spi.kv;

import dev.gantry.spi.Api;

/**
 * Sample keys and values of real text, per layer, that a codec calibrates on (SKVQ's channel reordering and
 * clip search). Keys are post-RoPE unless the codec declared {@link KvCodecSpec#preRopeKeys()}.
 *
 * @since 0.1
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public interface KvCalibrationSamples {

    /** {@return number of layers sampled} */
    int layers();

    /**
     * The layout of layer {@code layer}.
     *
     * @param layer the layer
     * @return its layout
     */
    KvLayout layout(int layer);

    /** {@return number of sampled tokens} */
    int tokens();

    /**
     * Keys of layer {@code layer}: {@code tokens() × kvDim} elements, token-major.
     *
     * @param layer the layer
     * @return the keys; the caller may keep the array
     */
    float[] keys(int layer);

    /**
     * Values of layer {@code layer}: {@code tokens() × kvDim} elements, token-major.
     *
     * @param layer the layer
     * @return the values; the caller may keep the array
     */
    float[] values(int layer);
}
