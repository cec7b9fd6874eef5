package dev.gantry.engine.plugin;

import dev.gantry.spi.GantryPlugin;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * The class loader of one third-party plugin jar. It shares exactly one thing with Gantry: the SPI, the
 * packages {@code dev.gantry.spi} and below, which always come from Gantry's own {@code gantry-sdk-api} so
 * that the plugin's {@code GantryPlugin} is the engine's. JDK classes come from the platform, parent first.
 * Everything else comes from the jar (and the jars its manifest {@code Class-Path} names) and nowhere else: a
 * plugin never sees the engine, the runtime or another plugin, and a library it bundles never clashes with
 * Gantry's copy of the same library.
 */
final class PluginClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private static final String SPI_PACKAGE = "dev.gantry.spi.";

    private final ClassLoader spiLoader;
    private final Path jar;

    PluginClassLoader(Path jar) {
        // The platform loader as parent: JDK classes parent first, nothing from the application class path.
        super("gantry-plugin:" + jar.getFileName(), new URL[] {toUrl(jar)}, ClassLoader.getPlatformClassLoader());
        this.spiLoader = GantryPlugin.class.getClassLoader();
        this.jar = jar;
    }

    /** The jar this loader reads. */
    Path jar() {
        return jar;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(SPI_PACKAGE)) {
            return spiLoader.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    private static URL toUrl(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException("not a usable jar path: " + jar, e);
        }
    }

    @Override
    public String toString() {
        return getName();
    }
}
