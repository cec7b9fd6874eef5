package dev.gantry.runtime.rest;

import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.runtime.rest.api.PluginListing;
import dev.gantry.runtime.serving.ServedModel;
import dev.gantry.spi.GantryPlugin;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/plugins}: every installed plugin with its version and implementations, and the active ones. */
@Path("/v1/plugins")
@Produces(MediaType.APPLICATION_JSON)
public class PluginsResource {

    @Inject
    RequestAdmission admission;

    @GET
    @Operation(summary = "Lists installed plugins and the implementation active per extension point")
    public PluginListing list() {
        ServedModel model = admission.model(null);
        PluginRegistry registry = model.registry();
        List<PluginListing.InstalledPlugin> installed = new ArrayList<>();
        for (GantryPlugin plugin : registry.plugins().values()) {
            Map<String, List<PluginListing.Implementation>> provides = new LinkedHashMap<>();
            for (ExtensionPoint<?> point : ExtensionPoint.ALL) {
                List<PluginListing.Implementation> implementations = point.factoriesOf(plugin).stream()
                        .map(f -> new PluginListing.Implementation(f.name(), f.description(), f.configKeys().stream()
                                .map(k -> "gantry.plugin." + plugin.name() + "." + k.name()).toList()))
                        .toList();
                if (!implementations.isEmpty()) {
                    provides.put(pointName(point), implementations);
                }
            }
            installed.add(new PluginListing.InstalledPlugin(plugin.name(), plugin.version(),
                    registry.source(plugin.name()), provides));
        }
        Map<String, String> active = new LinkedHashMap<>();
        List<String> names = model.engine().plugins().names();
        for (int i = 0; i < ExtensionPoint.ALL.size(); i++) {
            active.put(pointName(ExtensionPoint.ALL.get(i)), names.get(i));
        }
        return new PluginListing(installed, active);
    }

    /** {@code gantry.kv-codec} → {@code kv-codec}. */
    private static String pointName(ExtensionPoint<?> point) {
        return point.configKey().substring("gantry.".length());
    }
}
