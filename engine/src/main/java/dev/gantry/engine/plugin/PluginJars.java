package dev.gantry.engine.plugin;

import dev.gantry.spi.GantryPlugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Loads the plugins of a plugin directory ({@code gantry.plugin-path}): every {@code *.jar} directly in it is
 * one plugin jar, loaded in its own {@link PluginClassLoader}. Libraries a plugin needs go in a subdirectory
 * and are named in the jar manifest's {@code Class-Path}; they are not scanned.
 *
 * <p>Each jar must record the SPI version it was compiled against in its {@value SpiVersion#MANIFEST_ATTRIBUTE}
 * manifest attribute and list its {@link GantryPlugin} in {@code META-INF/services/dev.gantry.spi.GantryPlugin}.
 * A jar that does not, or that was built against an SPI this Gantry cannot run, stops start-up with a message
 * naming the jar.
 */
final class PluginJars {

    private static final Logger LOG = Logger.getLogger(PluginJars.class.getName());

    private PluginJars() {
    }

    /** The plugins of every jar in {@code dir}, in file-name order, each with its jar as source. */
    static List<InstalledPlugin> load(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new PluginLoadException("the plugin path " + root + " is not a directory");
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(root)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the plugin path " + root, e);
        }
        List<InstalledPlugin> out = new ArrayList<>();
        for (Path jar : jars) {
            out.addAll(loadJar(jar));
        }
        return out;
    }

    /** The plugins one jar provides. */
    static List<InstalledPlugin> loadJar(Path jar) {
        SpiVersion builtAgainst = builtAgainst(jar);
        checkSpiVersion(jar, builtAgainst);
        PluginClassLoader loader = new PluginClassLoader(jar);
        List<InstalledPlugin> found = new ArrayList<>();
        try {
            for (GantryPlugin p : ServiceLoader.load(GantryPlugin.class, loader)) {
                if (p.getClass().getClassLoader() != loader) {
                    continue; // not this jar's (cannot happen with the platform loader as parent; kept for safety)
                }
                found.add(new InstalledPlugin(p, jar.toString()));
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new PluginLoadException("plugin jar " + jar + " could not be loaded: " + e.getMessage()
                    + (cause != e ? " (" + cause + ")" : ""), e);
        }
        if (found.isEmpty()) {
            throw new PluginLoadException("plugin jar " + jar + " provides no plugin: it must list its "
                    + GantryPlugin.class.getName() + " implementation in META-INF/services/"
                    + GantryPlugin.class.getName());
        }
        found.forEach(p -> LOG.info(() -> "plugin jar " + jar + ": " + p.plugin().getClass().getName()
                + " (built against SPI " + builtAgainst + ")"));
        return found;
    }

    private static SpiVersion builtAgainst(Path jar) {
        String recorded;
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            recorded = manifest == null ? null : manifest.getMainAttributes().getValue(SpiVersion.MANIFEST_ATTRIBUTE);
        } catch (IOException e) {
            throw new PluginLoadException("plugin jar " + jar + " cannot be read as a jar: " + e.getMessage(), e);
        }
        if (recorded == null) {
            throw new PluginLoadException("plugin jar " + jar + " does not say which SPI it was built against: its "
                    + "manifest needs the attribute " + SpiVersion.MANIFEST_ATTRIBUTE + " (the gantry-sdk-api "
                    + "version it was compiled with)");
        }
        try {
            return SpiVersion.parse(recorded);
        } catch (IllegalArgumentException e) {
            throw new PluginLoadException("plugin jar " + jar + ": manifest attribute "
                    + SpiVersion.MANIFEST_ATTRIBUTE + " " + e.getMessage());
        }
    }

    private static void checkSpiVersion(Path jar, SpiVersion builtAgainst) {
        SpiVersion host = SpiVersion.current().orElseThrow(() -> new PluginLoadException("cannot load plugin jar "
                + jar + ": this Gantry's gantry-sdk-api does not record its SPI version (" + SpiVersion.RESOURCE
                + " is missing); rebuild Gantry with Maven"));
        if (!host.runs(builtAgainst)) {
            throw new PluginLoadException("plugin jar " + jar + " was built against SPI " + builtAgainst
                    + ", which this Gantry (SPI " + host + ") cannot run: plugins must be built against SPI "
                    + host.compatibilityLine() + ".x, no newer than " + host + " (SPI 0.x versions are "
                    + "compatible only within one minor version); rebuild the plugin against gantry-sdk-api "
                    + host);
        }
    }
}
