package dev.gantry.runtime.config;

import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginSelection;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the service configuration into the engine's plain options, so that the engine and the plugins never
 * depend on MicroProfile Config or CDI.
 */
public final class EngineSettings {

    private EngineSettings() {
    }

    /** The engine options the configuration describes; values are assumed checked by {@link StartupValidation}. */
    public static EngineOptions options(GantryConfig config) {
        EngineOptions defaults = EngineOptions.defaults();
        long kvBytes = config.kv().budget().asLongValue();
        return new EngineOptions(config.threads().orElse(defaults.threads()), kvBytes, kvBytes,
                config.kv().blockSize(), defaults.maxStepTokens(), defaults.maxSequences(),
                config.queue().maxWaiting(), defaults.maxTreeSize(), defaults.prefixCaching(), plugins(config),
                instanceId(config)).withDevice(DeviceSetting.parse(config.device()).toEngine());
    }

    /** The plugin choices and settings, in the flat {@code gantry.*} form the engine reads. */
    public static PluginSelection plugins(GantryConfig config) {
        return PluginSelection.fromProperties(pluginProperties(config));
    }

    /** {@code gantry.scheduler} ... {@code gantry.planner} and every {@code gantry.plugin.<name>.<key>}. */
    static Map<String, String> pluginProperties(GantryConfig config) {
        Map<String, String> properties = new HashMap<>();
        properties.put(ExtensionPoint.SCHEDULER.configKey(), config.scheduler());
        properties.put(ExtensionPoint.SPECULATOR.configKey(), config.speculator());
        properties.put(ExtensionPoint.ATTENTION.configKey(), config.attention());
        properties.put(ExtensionPoint.KV_CODEC.configKey(), config.kvCodec());
        properties.put(ExtensionPoint.PLANNER.configKey(), config.planner());
        config.plugin().forEach((plugin, settings) -> settings.forEach((key, value) ->
                properties.put("gantry.plugin." + plugin + "." + key, value)));
        return properties;
    }

    /**
     * The model's id in the API: {@code gantry.model.name}, else the model file's base name without {@code .gguf},
     * else {@code demoName} (no file configured: the demo model is served).
     */
    public static String modelName(GantryConfig config, String demoName) {
        return config.model().name().orElseGet(() -> config.model().path().map(path -> {
            String base = path.getFileName().toString();
            return base.endsWith(".gguf") ? base.substring(0, base.length() - ".gguf".length()) : base;
        }).orElse(demoName));
    }

    /** {@code gantry.instance-id}, or the host name. */
    public static String instanceId(GantryConfig config) {
        return config.instanceId().orElseGet(EngineSettings::hostName);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
