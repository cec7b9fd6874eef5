package dev.gantry.spi.kv;

import dev.gantry.spi.Api;
import dev.gantry.spi.ModelInfo;

import java.util.Optional;

/**
 * What the engine tells a codec factory about where the codec will run.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface KVCodecContext {

    /** {@return the served model} */
    ModelInfo model();

    /** {@return tokens per KV block} */
    int blockSize();

    /** {@return calibration data saved earlier for this codec and model, if any} */
    @Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
    default Optional<KvCalibration> calibration() {
        return Optional.empty();
    }
}
