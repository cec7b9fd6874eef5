package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

/**
 * What one layer of a model (or one node of its {@link ComputeGraph}) costs to hold and to run. Planners
 * that choose a strategy per layer (Galvatron's dynamic programme) or balance uneven stages read these;
 * {@link ModelDescription#costOf(ModelSlice)} sums them over a stage.
 *
 * @param parameterBytes          bytes of the layer's weights as stored (quantised size); ≥ 0
 * @param flopsPerToken           floating-point operations of one token's forward pass through the layer
 *                                (about 2 × its parameters for the matrix products; attention over the
 *                                context is not included); finite, ≥ 0
 * @param activationBytesPerToken bytes of the layer's output for one token: what crosses a stage boundary
 *                                placed after this layer; ≥ 0
 * @param kvBytesPerToken         bytes of KV cache the layer keeps per token of context (0 for a layer
 *                                without attention); ≥ 0
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record LayerCost(long parameterBytes, double flopsPerToken, long activationBytesPerToken,
                        long kvBytesPerToken) {

    /**
     * Checks the figures.
     *
     * @throws IllegalArgumentException for a negative or infinite figure
     */
    public LayerCost {
        if (parameterBytes < 0 || activationBytesPerToken < 0 || kvBytesPerToken < 0) {
            throw new IllegalArgumentException("layer cost: byte counts must be ≥ 0, got parameterBytes "
                    + parameterBytes + ", activationBytesPerToken " + activationBytesPerToken
                    + ", kvBytesPerToken " + kvBytesPerToken);
        }
        if (!(flopsPerToken >= 0) || Double.isInfinite(flopsPerToken)) {
            throw new IllegalArgumentException("layer cost: flopsPerToken must be finite and ≥ 0, got "
                    + flopsPerToken);
        }
    }
}
