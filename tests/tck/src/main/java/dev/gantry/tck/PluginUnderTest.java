package dev.gantry.tck;

import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.spi.ExtensionFactory;
import dev.gantry.spi.GantryPlugin;
import dev.gantry.spi.PluginConfig;
import dev.gantry.tck.internal.InstrumentedPlugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One implementation of one extension point, found the way Gantry finds it, with the settings the kit runs it
 * with. The kit builds every engine from {@link #registry}: the plugins Gantry would install, with the one
 * under test replaced by an instrumented copy that records what the engine and the plugin do.
 *
 * @param <F> the factory type of the extension point
 */
public final class PluginUnderTest<F extends ExtensionFactory> {

    private final ExtensionPoint<F> point;
    private final String name;
    private final GantryPlugin plugin;
    private final F factory;
    private final List<GantryPlugin> others;
    private final Map<String, String> settings;

    private PluginUnderTest(ExtensionPoint<F> point, String name, GantryPlugin plugin, F factory,
                            List<GantryPlugin> others, Map<String, String> settings) {
        this.point = point;
        this.name = name;
        this.plugin = plugin;
        this.factory = factory;
        this.others = List.copyOf(others);
        this.settings = Map.copyOf(settings);
    }

    /**
     * Finds {@code name} among the installed implementations of {@code point} exactly as Gantry does: every
     * {@link GantryPlugin} listed in a {@code META-INF/services} entry on the class path, checked as at
     * start-up (so a missing services line, a name clash or a plugin that provides nothing fails here first).
     *
     * @throws dev.gantry.engine.plugin.UnknownPluginException when no installed plugin provides it; the message
     *                                                         lists the installed names
     */
    public static <F extends ExtensionFactory> PluginUnderTest<F> discover(ExtensionPoint<F> point, String name) {
        PluginRegistry installed = PluginRegistry.discover();
        GantryPlugin owner = installed.require(point, name).plugin();
        List<GantryPlugin> others = installed.plugins().values().stream().filter(p -> p != owner).toList();
        return new PluginUnderTest<>(point, name, owner, factoryOf(point, owner, name), others, Map.of());
    }

    /**
     * Takes a plugin instance, skipping discovery; it is installed beside the plugins on the class path (a
     * discovered plugin of the same name is replaced by it).
     */
    public static <F extends ExtensionFactory> PluginUnderTest<F> of(ExtensionPoint<F> point, GantryPlugin plugin,
                                                              String name) {
        Objects.requireNonNull(plugin, "plugin");
        List<GantryPlugin> others = PluginRegistry.discover().plugins().values().stream()
                .filter(p -> !p.name().equals(plugin.name())).toList();
        return new PluginUnderTest<>(point, name, plugin, factoryOf(point, plugin, name), others, Map.of());
    }

    private static <F extends ExtensionFactory> F factoryOf(ExtensionPoint<F> point, GantryPlugin plugin,
                                                            String name) {
        return point.factoriesOf(plugin).stream().filter(f -> name.equals(f.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("plugin '" + plugin.name() + "' provides no "
                        + point + " named '" + name + "'"));
    }

    /** This subject with one more setting, relative to the plugin's namespace ({@code queues}). */
    public PluginUnderTest<F> with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(settings);
        copy.put(key, value);
        return new PluginUnderTest<>(point, name, plugin, factory, others, copy);
    }

    /** This subject with several more settings. */
    public PluginUnderTest<F> with(Map<String, String> more) {
        Map<String, String> copy = new LinkedHashMap<>(settings);
        copy.putAll(more);
        return new PluginUnderTest<>(point, name, plugin, factory, others, copy);
    }

    /** The extension point. */
    public ExtensionPoint<F> point() {
        return point;
    }

    /** The implementation's name ({@code gantry.scheduler=<name>}). */
    public String name() {
        return name;
    }

    /** The plugin that provides it. */
    public GantryPlugin plugin() {
        return plugin;
    }

    /** Its factory, as the plugin returns it. */
    public F factory() {
        return factory;
    }

    /** The settings the kit runs it with, relative to the plugin's namespace. */
    public Map<String, String> settings() {
        return settings;
    }

    /** Those settings as the plugin sees them. */
    public PluginConfig config() {
        return PluginConfig.of(plugin.name(), settings);
    }

    /** The settings as {@code gantry.*} properties, with the implementation selected. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(point.configKey(), name);
        settings.forEach((k, v) -> p.put("gantry.plugin." + plugin.name() + "." + k, v));
        return p;
    }

    /**
     * The plugins to build an engine from: every installed plugin, the one under test with its factory wrapped
     * by {@code instrument}, and the kit's helpers.
     */
    public PluginRegistry registry(UnaryOperator<F> instrument, GantryPlugin... helpers) {
        List<GantryPlugin> all = new ArrayList<>(others);
        all.add(new InstrumentedPlugin<>(plugin, point, name, instrument));
        all.addAll(List.of(helpers));
        return PluginRegistry.of(all);
    }

    @Override
    public String toString() {
        return point + " '" + name + "' of plugin '" + plugin.name() + "'";
    }
}
