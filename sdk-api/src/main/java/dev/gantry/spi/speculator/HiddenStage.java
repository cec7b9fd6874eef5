package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;

/**
 * Which hidden state of the target's last layer a speculator reads.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public enum HiddenStage {
    /** The residual stream after the last block, before the final RMSNorm (Clover-2, EAGLE). */
    PRE_NORM,
    /** After the final RMSNorm: what the LM head multiplies (Medusa). */
    POST_NORM
}
