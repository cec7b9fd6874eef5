package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;

/**
 * The request's sampling settings that bear on drafting (a temperature of 0 means greedy).
 *
 * @param temperature softmax temperature, 0 for greedy
 * @param topP        nucleus mass, 1 when off
 * @param topK        top-k cutoff, 0 when off
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record SamplingView(float temperature, float topP, int topK) {

    /** {@return whether the request decodes greedily} */
    public boolean greedy() {
        return temperature == 0f;
    }
}
