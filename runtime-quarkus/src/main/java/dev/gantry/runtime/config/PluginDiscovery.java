package dev.gantry.runtime.config;

import dev.gantry.engine.plugin.PluginRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the installed plugins: the bundled ones on the application class path, plus every jar in
 * {@code gantry.plugin-path} when it is set (loaded by a child class loader, so a third-party plugin sees the SPI
 * exactly as the bundled ones do).
 */
public final class PluginDiscovery {

    private PluginDiscovery() {
    }

    /**
     * The registry of installed plugins.
     *
     * @param pluginPath a directory of plugin jars, or empty
     * @throws IllegalArgumentException when the directory is missing or unreadable
     */
    public static PluginRegistry registry(Optional<Path> pluginPath) {
        ClassLoader application = PluginDiscovery.class.getClassLoader();
        if (pluginPath.isEmpty()) {
            return PluginRegistry.discover(application);
        }
        Path dir = pluginPath.get();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("gantry.plugin-path=" + dir + " is not a directory");
        }
        return PluginRegistry.discover(new URLClassLoader("gantry-plugins", jarUrls(dir), application));
    }

    private static URL[] jarUrls(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
            URL[] urls = new URL[jars.size()];
            for (int i = 0; i < urls.length; i++) {
                urls[i] = jars.get(i).toUri().toURL();
            }
            return urls;
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("gantry.plugin-path=" + dir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("gantry.plugin-path=" + dir + " cannot be listed: " + e.getMessage(), e);
        }
    }
}
