package dev.gantry.engine.cli;

import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.spi.GantryPlugin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code gantry plugins}: what is installed, per plugin and extension point, with each factory's settings. */
@Command(name = "plugins", mixinStandardHelpOptions = true, description = "List installed plugins.")
final class PluginsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "print the listing as one JSON line")
    boolean json;

    @Override
    public Integer call() {
        PluginRegistry registry = PluginRegistry.discover();
        List<Map<String, Object>> plugins = new ArrayList<>();
        for (GantryPlugin p : registry.plugins().values()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", p.name());
            entry.put("version", p.version());
            for (ExtensionPoint<?> point : ExtensionPoint.ALL) {
                List<Map<String, Object>> factories = new ArrayList<>();
                point.factoriesOf(p).forEach(f -> {
                    Map<String, Object> fe = new LinkedHashMap<>();
                    fe.put("name", f.name());
                    fe.put("description", f.description());
                    fe.put("settings", f.configKeys().stream().map(k -> "gantry.plugin." + p.name() + "." + k)
                            .toList());
                    factories.add(fe);
                });
                if (!factories.isEmpty()) {
                    entry.put(point.configKey().substring("gantry.".length()), factories);
                }
            }
            plugins.add(entry);
        }
        var out = spec.commandLine().getOut();
        if (json) {
            JsonLine.print(out, Map.of("plugins", plugins));
        } else {
            for (Map<String, Object> p : plugins) {
                out.println(p);
            }
            out.flush();
        }
        return 0;
    }
}
