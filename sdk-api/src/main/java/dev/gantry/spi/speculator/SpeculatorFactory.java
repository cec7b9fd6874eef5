package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;
import dev.gantry.spi.ExtensionFactory;
import dev.gantry.spi.PluginConfig;

/**
 * Creates {@link Speculator}s. Selected by {@code gantry.speculator=<name>}.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface SpeculatorFactory extends ExtensionFactory {

    /**
     * Builds a speculator for one engine. Called once at start-up.
     *
     * @param config  the plugin's settings; not null
     * @param context the target model and tree budget; not null
     * @return the speculator; never null
     * @throws dev.gantry.spi.PluginConfigException for bad settings
     */
    Speculator create(PluginConfig config, SpeculatorContext context);
}
