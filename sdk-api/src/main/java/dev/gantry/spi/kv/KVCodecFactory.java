package dev.gantry.spi.kv;

import dev.gantry.spi.Api;
import dev.gantry.spi.ExtensionFactory;
import dev.gantry.spi.PluginConfig;

/**
 * Creates {@link KVCodec}s. Selected by {@code gantry.kv-codec=<name>}.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface KVCodecFactory extends ExtensionFactory {

    /**
     * Builds a codec for one engine. Called once at start-up.
     *
     * @param config  the plugin's settings
     * @param context the model and cache geometry
     * @return the codec; never null
     * @throws dev.gantry.spi.PluginConfigException for bad settings
     */
    KVCodec create(PluginConfig config, KVCodecContext context);
}
