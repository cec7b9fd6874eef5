package dev.gantry.engine.plugin;

import dev.gantry.spi.PluginConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which implementation each extension point uses, and every plugin's settings: the part of the configuration
 * the engine needs ({@code gantry.scheduler}, ..., {@code gantry.plugin.<name>.<key>}).
 *
 * @param names    implementation name per extension point; missing points take their default
 * @param settings settings per plugin name, keys relative to {@code gantry.plugin.<name>.}
 */
public record PluginSelection(Map<ExtensionPoint<?>, String> names, Map<String, Map<String, String>> settings) {

    public PluginSelection {
        names = Map.copyOf(names);
        Map<String, Map<String, String>> copy = new HashMap<>();
        settings.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        settings = Map.copyOf(copy);
    }

    /** Every point at its default, no settings. */
    public static PluginSelection defaults() {
        return new PluginSelection(Map.of(), Map.of());
    }

    /** The implementation name chosen for {@code point}. */
    public String nameFor(ExtensionPoint<?> point) {
        return Objects.requireNonNullElse(names.get(point), point.defaultName());
    }

    /** This selection with {@code point} set to {@code name}. */
    public PluginSelection with(ExtensionPoint<?> point, String name) {
        Map<ExtensionPoint<?>, String> copy = new HashMap<>(names);
        copy.put(point, name);
        return new PluginSelection(copy, settings);
    }

    /** The settings of one plugin. */
    public PluginConfig configFor(String plugin) {
        return PluginConfig.of(plugin, settings.getOrDefault(plugin, Map.of()));
    }

    /**
     * Reads a selection from flat {@code gantry.*} properties (the CLI's {@code -D}-style options and the
     * runtime's configuration both reduce to this).
     */
    public static PluginSelection fromProperties(Map<String, String> properties) {
        Map<ExtensionPoint<?>, String> names = new HashMap<>();
        for (ExtensionPoint<?> p : ExtensionPoint.ALL) {
            String v = properties.get(p.configKey());
            if (v != null && !v.isBlank()) {
                names.put(p, v.strip());
            }
        }
        Map<String, Map<String, String>> settings = new HashMap<>();
        String prefix = "gantry.plugin.";
        properties.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                String rest = k.substring(prefix.length());
                int dot = rest.indexOf('.');
                if (dot > 0 && dot < rest.length() - 1) {
                    settings.computeIfAbsent(rest.substring(0, dot), x -> new HashMap<>())
                            .put(rest.substring(dot + 1), v);
                }
            }
        });
        return new PluginSelection(names, settings);
    }
}
