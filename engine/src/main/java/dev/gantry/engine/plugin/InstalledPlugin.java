package dev.gantry.engine.plugin;

import dev.gantry.spi.GantryPlugin;

import java.util.Objects;

/**
 * One installed plugin and where it came from, as listings ({@code /v1/plugins}, the start-up log) show it.
 *
 * @param plugin the plugin
 * @param source {@link #BUNDLED} for a plugin on Gantry's class path, else the absolute path of its jar
 */
public record InstalledPlugin(GantryPlugin plugin, String source) {

    /** The source of plugins that ship on Gantry's own class path. */
    public static final String BUNDLED = "bundled";

    public InstalledPlugin {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(source, "source");
    }

    /** The plugin's name. */
    public String name() {
        return plugin.name();
    }

    /** The plugin's version. */
    public String version() {
        return plugin.version();
    }

    /** The plugin's class and source, for messages: {@code com.example.MyPlugin (/opt/plugins/my.jar)}. */
    String describe() {
        return plugin.getClass().getName() + " (" + source + ")";
    }
}
