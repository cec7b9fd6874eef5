package dev.gantry.engine.plugin;

/**
 * A plugin cannot be installed or started: a jar that is not a usable plugin, one built against an
 * incompatible SPI, two plugins with one name, a plugin or factory that throws. The message names the plugin,
 * where it came from ({@code bundled} or its jar) and what went wrong; start-up stops.
 */
public class PluginLoadException extends IllegalStateException {

    public PluginLoadException(String message) {
        super(message);
    }

    public PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
