package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

/**
 * The part of a model one pipeline stage holds: a contiguous {@link LayerRange} for a chain of layers, or a
 * set of {@link GraphNodes} for a model described by a {@link ComputeGraph} (GraphPipe).
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public sealed interface ModelSlice permits LayerRange, GraphNodes {

    /** {@return number of layers (or graph nodes) in the slice; ≥ 1} */
    int size();
}
