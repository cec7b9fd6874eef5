package dev.gantry.spi.attention;

import dev.gantry.spi.Api;
import dev.gantry.spi.ExtensionFactory;
import dev.gantry.spi.PluginConfig;

/**
 * Creates {@link AttentionBackend}s. Selected by {@code gantry.attention=<name>}.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface AttentionBackendFactory extends ExtensionFactory {

    /**
     * Builds a backend for one engine. Called once at start-up.
     *
     * @param config  the plugin's settings; not null
     * @param context the model and cache geometry; not null
     * @return the backend; never null
     * @throws dev.gantry.spi.PluginConfigException for bad settings
     */
    AttentionBackend create(PluginConfig config, AttentionBackendContext context);
}
