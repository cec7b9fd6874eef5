package dev.gantry.runtime.rest.api;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/plugins}: what is installed and what this instance runs.
 *
 * @param installed every installed plugin
 * @param active    per extension point ({@code scheduler}, {@code speculator}, {@code attention}, {@code kv-codec},
 *                  {@code planner}), the implementation in use as {@code plugin/implementation}
 */
public record PluginListing(List<InstalledPlugin> installed, Map<String, String> active) {

    /**
     * @param name     the plugin's name
     * @param version  its version
     * @param source   {@code bundled}, or the absolute path of the jar on {@code gantry.plugin-path} it came from
     * @param provides per extension point, the implementations it provides
     */
    public record InstalledPlugin(String name, String version, String source,
                                  Map<String, List<Implementation>> provides) {
    }

    /**
     * @param name        the implementation's name (the value of {@code gantry.scheduler} etc.)
     * @param description what it does
     * @param settings    the {@code gantry.plugin.<plugin>.<key>} settings it reads
     */
    public record Implementation(String name, String description, List<String> settings) {
    }
}
