/**
 * The {@link dev.gantry.spi.speculator.Speculator} extension point: draft trees the engine verifies.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;
