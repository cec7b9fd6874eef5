package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;
import dev.gantry.spi.ModelInfo;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the engine tells a speculator factory: the target model, and where trained head weights and draft
 * models are looked up.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface SpeculatorContext {

    /** {@return the target model} */
    ModelInfo model();

    /** {@return the target model's file, so head weights stored beside it can be found} */
    Optional<Path> modelPath();

    /** {@return the most tree nodes per sequence the engine verifies in one step} */
    int maxTreeSize();
}
