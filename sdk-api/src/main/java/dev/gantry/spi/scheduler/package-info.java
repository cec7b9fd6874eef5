/**
 * The {@link dev.gantry.spi.scheduler.Scheduler} extension point: iteration-level scheduling.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;
