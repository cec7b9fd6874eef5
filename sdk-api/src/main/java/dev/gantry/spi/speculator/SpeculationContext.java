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

    /** The sequence. */
    SequenceId sequence();

    /** Its committed tokens (prompt then generated), the pending token excluded. */
    TokenHistory committed();

    /** The pending token: the root every tree must start with. */
    int pendingToken();

    /** The most nodes (root included) the engine verifies this step for this sequence. */
    int maxTreeSize();

    /** The request's sampling settings. */
    SamplingView sampling();

    /** The target model's hidden states and matrices. */
    TargetView target();

    /** The draft model runner, when the speculator's factory asked the engine for one. */
    @Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
    default Optional<DraftRunner> draft() {
        return Optional.empty();
    }
}
