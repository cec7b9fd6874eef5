package dev.gantry.spi.attention;

import dev.gantry.spi.Api;
import dev.gantry.spi.ModelInfo;

/**
 * What the engine tells an attention factory about where the backend will run.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface AttentionBackendContext {

    /** {@return the served model} */
    ModelInfo model();

    /** {@return tokens per KV block} */
    int blockSize();

    /** {@return threads the engine computes with; backends may size per-thread scratch by it} */
    int threads();
}
