package dev.gantry.runtime.config;

import dev.gantry.engine.plugin.PluginRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds the installed plugins: the bundled ones on the application class path, plus every jar in
 * {@code gantry.plugin-path} when it is set, each jar in a class loader of its own that shares only the SPI
 * ({@link PluginRegistry#discover(Path)}: the jar's SPI version, service entry and names are checked there).
 */
public final class PluginDiscovery {

    private PluginDiscovery() {
    }

    /**
     * The registry of installed plugins.
     *
     * @param pluginPath a directory of plugin jars, or empty
     * @throws IllegalArgumentException when the directory is missing
     * @throws dev.gantry.engine.plugin.PluginLoadException when a jar is not a usable plugin or names clash; the
     *                                                      message names the jar
     */
    public static PluginRegistry registry(Optional<Path> pluginPath) {
        if (pluginPath.isEmpty()) {
            return PluginRegistry.discover(PluginDiscovery.class.getClassLoader());
        }
        Path dir = pluginPath.get().toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("gantry.plugin-path=" + pluginPath.get() + " is not a directory");
        }
        return PluginRegistry.discover(dir);
    }

    /** One line per installed plugin for the start-up log: name, version and where it came from. */
    public static String describe(PluginRegistry registry) {
        return registry.installed().values().stream()
                .map(p -> p.name() + " " + p.version() + " (" + p.source() + ")")
                .collect(Collectors.joining(", "));
    }
}
