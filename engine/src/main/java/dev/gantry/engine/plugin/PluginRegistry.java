package dev.gantry.engine.plugin;

import dev.gantry.spi.ConfigKey;
import dev.gantry.spi.ExtensionFactory;
import dev.gantry.spi.GantryPlugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Every installed plugin, found with {@link ServiceLoader}, and their factories by extension point and name.
 *
 * <p>Plugins come from Gantry's class path ({@linkplain InstalledPlugin#BUNDLED bundled}) and, with
 * {@link #discover(Path)}, from a directory of third-party jars, each jar in its own class loader that shares
 * only the SPI ({@code dev.gantry.spi} and below) with Gantry; see {@link PluginJars} for what a plugin jar must
 * hold.
 *
 * <p>Start-up checks, each failing with a {@link PluginLoadException} whose message names the culprits and
 * where they came from: a plugin jar that cannot be loaded or was built against an incompatible SPI, a plugin
 * whose constructor or factory methods throw, two plugins with one name, two factories of one extension point
 * with one name (both classes named), a plugin other than {@code baseline} claiming a name the baseline uses for
 * the same point, and a plugin that provides no factory at all. A factory whose {@code create} throws fails
 * the same way when an engine starts.
 */
public final class PluginRegistry {

    private static final Logger LOG = Logger.getLogger(PluginRegistry.class.getName());
    static final String RESERVED_PLUGIN = "baseline";

    /** A factory and the plugin it came from. */
    public record Registered<F extends ExtensionFactory>(GantryPlugin plugin, F factory) {
    }

    private final Map<String, InstalledPlugin> installed;
    private final Map<String, GantryPlugin> plugins;
    private final Map<ExtensionPoint<?>, Map<String, Registered<?>>> byPoint;

    private PluginRegistry(List<InstalledPlugin> found) {
        Map<String, InstalledPlugin> named = new TreeMap<>();
        for (InstalledPlugin p : found) {
            String name = call(p, "name()", () -> p.plugin().name());
            if (name == null || !name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
                throw new PluginLoadException("plugin " + p.describe() + " has an invalid name '" + name
                        + "': use lower-case words joined by '-'");
            }
            InstalledPlugin clash = named.putIfAbsent(name, p);
            if (clash != null) {
                throw new PluginLoadException("two plugins are named '" + name + "': " + clash.describe() + " and "
                        + p.describe() + "; remove one of them");
            }
        }
        Map<ExtensionPoint<?>, Map<String, Registered<?>>> points = new LinkedHashMap<>();
        for (ExtensionPoint<?> point : ExtensionPoint.ALL) {
            points.put(point, new TreeMap<>());
        }
        for (InstalledPlugin p : named.values()) {
            int provided = 0;
            for (ExtensionPoint<?> point : ExtensionPoint.ALL) {
                provided += registerAll(points.get(point), point, p);
            }
            if (provided == 0) {
                throw new PluginLoadException("plugin '" + p.name() + "' " + p.describe()
                        + " provides no factory for any extension point");
            }
        }
        Map<String, GantryPlugin> byName = new TreeMap<>();
        named.forEach((k, v) -> byName.put(k, v.plugin()));
        this.installed = Collections.unmodifiableMap(named);
        this.plugins = Collections.unmodifiableMap(byName);
        this.byPoint = points;
    }

    private static <F extends ExtensionFactory> int registerAll(Map<String, Registered<?>> table,
                                                                ExtensionPoint<F> point, InstalledPlugin plugin) {
        List<F> factories = call(plugin, "its " + point + " factories", () -> point.factoriesOf(plugin.plugin()));
        for (F f : factories) {
            if (f == null) {
                throw new PluginLoadException("plugin '" + plugin.name() + "' " + plugin.describe()
                        + " lists a null " + point + " factory");
            }
            String name = call(plugin, "the name of " + point + " factory " + f.getClass().getName(), f::name);
            register(table, point, plugin, f, name);
        }
        return factories.size();
    }

    private static <F extends ExtensionFactory> void register(Map<String, Registered<?>> table,
                                                              ExtensionPoint<F> point, InstalledPlugin plugin,
                                                              F factory, String name) {
        Registered<?> previous = table.get(name);
        if (previous != null) {
            boolean reserved = previous.plugin().name().equals(RESERVED_PLUGIN)
                    && !plugin.name().equals(RESERVED_PLUGIN);
            throw new PluginLoadException((reserved ? "the " + point + " name '" + name
                    + "' is reserved by the baseline plugin; " : "two " + point + "s are named '" + name + "': ")
                    + GuardedFactories.original(previous.factory()).getClass().getName() + " (plugin "
                    + previous.plugin().name() + ") and "
                    + factory.getClass().getName() + " (plugin " + plugin.name() + ", " + plugin.source() + ")");
        }
        table.put(name, new Registered<>(plugin.plugin(), GuardedFactories.guard(point, factory, plugin)));
        LOG.fine(() -> "registered " + point + " '" + name + "' from plugin " + plugin.name() + " "
                + plugin.version() + " (" + plugin.source() + ")");
    }

    /** Runs a call into a plugin, turning what it throws into an error that names the plugin and its source. */
    private static <T> T call(InstalledPlugin plugin, String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException | LinkageError e) {
            throw new PluginLoadException("plugin " + plugin.describe() + " failed while giving " + what + ": " + e,
                    e);
        }
    }

    /** Plugins visible to this class's class loader (the application class path), all {@code bundled}. */
    public static PluginRegistry discover() {
        return discover(PluginRegistry.class.getClassLoader());
    }

    /**
     * Plugins visible to {@code loader}. Each is {@code bundled} unless it was loaded from a plugin jar (see
     * {@link #discover(Path)}).
     */
    public static PluginRegistry discover(ClassLoader loader) {
        return new PluginRegistry(fromClassLoader(loader));
    }

    /**
     * The bundled plugins (on Gantry's class path) plus the plugins of every {@code *.jar} in {@code pluginDir}
     * ({@code gantry.plugin-path}), each jar in its own class loader. Each jar plugin's
     * {@link InstalledPlugin#source() source} is the absolute path of its jar.
     *
     * @throws PluginLoadException when the directory is missing, or a jar is not a usable plugin (no
     *                             {@code Gantry-SPI-Version} manifest attribute, an incompatible SPI version, no
     *                             service entry, a class that cannot be loaded, a constructor that throws), or a
     *                             name clashes; the message names the jar
     */
    public static PluginRegistry discover(Path pluginDir) {
        List<InstalledPlugin> all = new ArrayList<>(fromClassLoader(PluginRegistry.class.getClassLoader()));
        all.addAll(PluginJars.load(pluginDir));
        return new PluginRegistry(all);
    }

    private static List<InstalledPlugin> fromClassLoader(ClassLoader loader) {
        List<InstalledPlugin> found = new ArrayList<>();
        try {
            for (GantryPlugin p : ServiceLoader.load(GantryPlugin.class, loader)) {
                found.add(new InstalledPlugin(p, sourceOf(p)));
            }
        } catch (ServiceConfigurationError e) {
            throw new PluginLoadException("a plugin could not be loaded: " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : ""), e);
        }
        return found;
    }

    private static String sourceOf(GantryPlugin p) {
        return p.getClass().getClassLoader() instanceof PluginClassLoader jar ? jar.jar().toString()
                : InstalledPlugin.BUNDLED;
    }

    /** A registry of exactly these plugins (tests, embedding); each is {@code bundled} unless loaded from a jar. */
    public static PluginRegistry of(List<GantryPlugin> plugins) {
        return new PluginRegistry(plugins.stream().map(p -> new InstalledPlugin(p, sourceOf(p))).toList());
    }

    /** Installed plugins by name. */
    public Map<String, GantryPlugin> plugins() {
        return plugins;
    }

    /** Installed plugins by name, with where each came from. */
    public Map<String, InstalledPlugin> installed() {
        return installed;
    }

    /**
     * Where the plugin named {@code pluginName} came from: {@code bundled}, or the absolute path of its jar.
     *
     * @throws UnknownPluginException when no plugin has that name
     */
    public String source(String pluginName) {
        InstalledPlugin p = installed.get(pluginName);
        if (p == null) {
            throw new UnknownPluginException("no installed plugin is named '" + pluginName + "'; installed: "
                    + String.join(", ", installed.keySet()));
        }
        return p.source();
    }

    /** What the plugin named {@code pluginName} provides: implementation names per extension point, sorted. */
    public Map<ExtensionPoint<?>, List<String>> providedBy(String pluginName) {
        Map<ExtensionPoint<?>, List<String>> out = new LinkedHashMap<>();
        byPoint.forEach((point, table) -> {
            List<String> names = table.entrySet().stream()
                    .filter(e -> e.getValue().plugin().name().equals(pluginName)).map(Map.Entry::getKey).toList();
            if (!names.isEmpty()) {
                out.put(point, names);
            }
        });
        return out;
    }

    /** Names of the implementations installed for an extension point, sorted. */
    public List<String> names(ExtensionPoint<?> point) {
        return List.copyOf(byPoint.get(point).keySet());
    }

    /**
     * The factory named {@code name} for {@code point}. Its {@code create} fails with a
     * {@link PluginLoadException} naming the implementation, plugin and source when the plugin's own
     * {@code create} throws.
     *
     * @throws UnknownPluginException naming the key, the value and the installed names
     */
    @SuppressWarnings("unchecked")
    public <F extends ExtensionFactory> Registered<F> require(ExtensionPoint<F> point, String name) {
        Registered<?> r = byPoint.get(point).get(name);
        if (r == null) {
            throw new UnknownPluginException(point.configKey() + "=" + name + ": no installed plugin provides a "
                    + point + " named '" + name + "'; installed: " + String.join(", ", names(point)));
        }
        return (Registered<F>) r;
    }

    /** Every setting key any factory of {@code plugin} declares (for rejecting unknown keys). */
    public List<ConfigKey<?>> configKeysOf(GantryPlugin plugin) {
        return ExtensionPoint.ALL.stream().flatMap(p -> p.factoriesOf(plugin).stream())
                .flatMap(f -> f.configKeys().stream()).collect(Collectors.toList());
    }
}
