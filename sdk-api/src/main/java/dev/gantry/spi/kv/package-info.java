/**
 * The {@link dev.gantry.spi.kv.KVCodec} extension point: how KV cache blocks are stored and read back.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
package dev.gantry.spi.kv;

import dev.gantry.spi.Api;
