package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;
import dev.gantry.spi.SequenceId;

import java.util.Optional;

/**
 * Everything a speculator may read when proposing a tree for one sequence. Valid only during
 * {@link Speculator#propose}.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface SpeculationContext {

    /** {@return the sequence} */
    SequenceId sequence();

    /** {@return its committed tokens (prompt then generated), the pending token excluded} */
    TokenHistory committed();

    /** {@return the pending token: the root every tree must start with} */
    int pendingToken();

    /** {@return the most nodes (root included) the engine verifies this step for this sequence} */
    int maxTreeSize();

    /** {@return the request's sampling settings} */
    SamplingView sampling();

    /** {@return the target model's hidden states and matrices} */
    TargetView target();

    /** {@return the draft model runner, when the speculator's factory asked the engine for one} */
    @Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
    default Optional<DraftRunner> draft() {
        return Optional.empty();
    }
}
