/**
 * The {@link dev.gantry.spi.attention.AttentionBackend} extension point: attention over the paged KV cache.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
package dev.gantry.spi.attention;

import dev.gantry.spi.Api;
