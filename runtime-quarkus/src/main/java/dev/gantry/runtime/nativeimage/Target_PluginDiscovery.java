package dev.gantry.runtime.nativeimage;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.runtime.config.PluginDiscovery;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A native image is a closed world: it carries the plugins bundled at build time and cannot load jars into new
 * class loaders. {@code gantry.plugin-path} therefore stops start-up with a message saying so (the service reports
 * it as a configuration error), instead of failing later inside a class loader.
 */
@TargetClass(PluginDiscovery.class)
final class Target_PluginDiscovery {

    @Substitute
    public static PluginRegistry registry(Optional<Path> pluginPath) {
        if (pluginPath.isPresent()) {
            throw new IllegalArgumentException(NativeImageLimits.pluginPathRefused(pluginPath.get()));
        }
        return PluginRegistry.discover(PluginDiscovery.class.getClassLoader());
    }
}
