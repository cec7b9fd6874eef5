package dev.gantry.engine.plugin;

import dev.gantry.spi.ConfigKey;
import dev.gantry.spi.ExtensionFactory;
import dev.gantry.spi.GantryPlugin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Every installed plugin, found with {@link ServiceLoader}, and their factories by extension point and name.
 *
 * <p>Start-up checks, each failing with a message that names the culprits: a plugin that cannot be loaded, two
 * plugins with one name, two factories of one extension point with one name (both classes named), a plugin
 * other than {@code baseline} claiming a name the baseline uses for the same point, and a plugin that
 * provides no factory at all.
 */
public final class PluginRegistry {

    private static final Logger LOG = Logger.getLogger(PluginRegistry.class.getName());
    static final String RESERVED_PLUGIN = "baseline";

    /** A factory and the plugin it came from. */
    public record Registered<F extends ExtensionFactory>(GantryPlugin plugin, F factory) {
    }

    private final Map<String, GantryPlugin> plugins;
    private final Map<ExtensionPoint<?>, Map<String, Registered<?>>> byPoint;

    private PluginRegistry(List<GantryPlugin> found) {
        Map<String, GantryPlugin> named = new TreeMap<>();
        for (GantryPlugin p : found) {
            String name = p.name();
            if (name == null || !name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
                throw new IllegalStateException("plugin " + p.getClass().getName() + " has an invalid name '" + name
                        + "': use lower-case words joined by '-'");
            }
            GantryPlugin clash = named.putIfAbsent(name, p);
            if (clash != null) {
                throw new IllegalStateException("two plugins are named '" + name + "': " + clash.getClass().getName()
                        + " and " + p.getClass().getName());
            }
        }
        Map<ExtensionPoint<?>, Map<String, Registered<?>>> points = new LinkedHashMap<>();
        for (ExtensionPoint<?> point : ExtensionPoint.ALL) {
            points.put(point, new TreeMap<>());
        }
        for (GantryPlugin p : named.values()) {
            int provided = 0;
            for (ExtensionPoint<?> point : ExtensionPoint.ALL) {
                for (ExtensionFactory f : point.factoriesOf(p)) {
                    register(points.get(point), point, p, f);
                    provided++;
                }
            }
            if (provided == 0) {
                throw new IllegalStateException("plugin '" + p.name() + "' (" + p.getClass().getName()
                        + ") provides no factory for any extension point");
            }
        }
        this.plugins = Collections.unmodifiableMap(named);
        this.byPoint = points;
    }

    private static void register(Map<String, Registered<?>> table, ExtensionPoint<?> point, GantryPlugin plugin,
                                 ExtensionFactory factory) {
        Registered<?> previous = table.get(factory.name());
        if (previous != null) {
            boolean reserved = previous.plugin().name().equals(RESERVED_PLUGIN)
                    && !plugin.name().equals(RESERVED_PLUGIN);
            throw new IllegalStateException((reserved ? "the " + point + " name '" + factory.name()
                    + "' is reserved by the baseline plugin; " : "two " + point + "s are named '" + factory.name()
                    + "': ") + previous.factory().getClass().getName() + " (plugin " + previous.plugin().name()
                    + ") and " + factory.getClass().getName() + " (plugin " + plugin.name() + ")");
        }
        table.put(factory.name(), new Registered<>(plugin, factory));
        LOG.fine(() -> "registered " + point + " '" + factory.name() + "' from plugin " + plugin.name() + " "
                + plugin.version());
    }

    /** Plugins visible to this class's class loader (the application class path). */
    public static PluginRegistry discover() {
        return discover(PluginRegistry.class.getClassLoader());
    }

    /** Plugins visible to {@code loader} (for example one over a directory of third-party jars). */
    public static PluginRegistry discover(ClassLoader loader) {
        List<GantryPlugin> found = new ArrayList<>();
        try {
            for (GantryPlugin p : ServiceLoader.load(GantryPlugin.class, loader)) {
                found.add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a plugin could not be loaded: " + e.getMessage(), e);
        }
        return new PluginRegistry(found);
    }

    /** A registry of exactly these plugins (tests, embedding). */
    public static PluginRegistry of(List<GantryPlugin> plugins) {
        return new PluginRegistry(plugins);
    }

    /** Installed plugins by name. */
    public Map<String, GantryPlugin> plugins() {
        return plugins;
    }

    /** Names of the implementations installed for an extension point, sorted. */
    public List<String> names(ExtensionPoint<?> point) {
        return List.copyOf(byPoint.get(point).keySet());
    }

    /**
     * The factory named {@code name} for {@code point}.
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
