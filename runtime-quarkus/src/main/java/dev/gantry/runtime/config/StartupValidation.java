package dev.gantry.runtime.config;

import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.engine.plugin.PluginSelection;
import dev.gantry.spi.ConfigKey;
import dev.gantry.spi.GantryPlugin;
import dev.gantry.spi.PluginConfig;
import io.quarkus.runtime.configuration.ConfigurationException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The start-up check of every {@code gantry.*} value that SmallRye Config cannot check by type alone: plugin
 * names against the installed plugins, plugin settings against the keys their factories declare, the model
 * file, the device and the ranges of numbers. Each problem names the key, the value and what is allowed; the
 * service does not start while any remains.
 */
public final class StartupValidation {

    private static final Pattern METRIC_PREFIX = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private StartupValidation() {
    }

    /**
     * Stops start-up when the configuration has problems.
     *
     * @throws ConfigurationException with every problem in one message
     */
    public static void requireValid(GantryConfig config, PluginRegistry registry) {
        List<String> problems = problems(config, registry);
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Gantry cannot start: " + String.join("; ", problems));
        }
    }

    /** The configuration's problems, each naming its key; empty when it is valid. */
    public static List<String> problems(GantryConfig config, PluginRegistry registry) {
        List<String> problems = new ArrayList<>();
        config.model().path().ifPresent(path -> checkModelFile(path, problems));
        config.model().name().filter(String::isBlank).ifPresent(n -> problems.add("gantry.model.name must not be blank"));
        checkPlugins(config, registry, problems);
        try {
            DeviceSetting.parse(config.device()).unavailableReason().ifPresent(reason -> problems.add(
                    "gantry.device=" + config.device() + ": " + reason + "; allowed here: auto, cpu"));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        config.threads().ifPresent(n -> atLeast(problems, "gantry.threads", n, 1));
        if (config.kv().budget().asLongValue() <= 0) {
            problems.add("gantry.kv.budget must be a positive size such as 256M or 4G");
        }
        atLeast(problems, "gantry.kv.block-size", config.kv().blockSize(), 1);
        atLeast(problems, "gantry.queue.max-waiting", config.queue().maxWaiting(), 1);
        config.limits().maxPromptTokens().ifPresent(n -> atLeast(problems, "gantry.limits.max-prompt-tokens", n, 1));
        config.limits().maxTokens().ifPresent(n -> atLeast(problems, "gantry.limits.max-tokens", n, 1));
        if (config.limits().maxBodyBytes().asLongValue() < 1024) {
            problems.add("gantry.limits.max-body-bytes=" + config.limits().maxBodyBytes().asLongValue()
                    + " is too small; allowed: 1K or more");
        }
        config.apiKeys().ifPresent(keys -> {
            if (keys.stream().anyMatch(String::isBlank)) {
                problems.add("gantry.api-keys must not contain a blank key");
            }
        });
        if (config.drainTimeout().isNegative()) {
            problems.add("gantry.drain-timeout=" + config.drainTimeout() + " must not be negative");
        }
        config.instanceId().filter(String::isBlank).ifPresent(i -> problems.add("gantry.instance-id must not be blank"));
        if (!METRIC_PREFIX.matcher(config.metrics().prefix()).matches()) {
            problems.add("gantry.metrics.prefix=" + config.metrics().prefix()
                    + " is not a metric name prefix; allowed: letters, digits and '_', not starting with a digit");
        }
        atLeast(problems, "gantry.kafka.embedded.port", config.kafka().embedded().port(), 1);
        if (config.kafka().embedded().port() > 65535) {
            problems.add("gantry.kafka.embedded.port=" + config.kafka().embedded().port() + " is not a port");
        }
        atLeast(problems, "gantry.kafka.partitions", config.kafka().partitions(), 1);
        if (config.kafka().sessionTimeout().toMillis() < 6000 || config.kafka().sessionTimeout().toMinutes() > 30) {
            problems.add("gantry.kafka.session-timeout=" + config.kafka().sessionTimeout()
                    + " is outside what the broker allows (6s to 30m)");
        }
        return problems;
    }

    private static void checkModelFile(Path path, List<String> problems) {
        if (!Files.isRegularFile(path)) {
            problems.add("gantry.model.path=" + path + ": no such file; point it at a Llama-family GGUF file, or leave"
                    + " it unset to serve the built-in demo model");
            return;
        }
        if (!Files.isReadable(path)) {
            problems.add("gantry.model.path=" + path + ": the file is not readable");
            return;
        }
        try (GgufFile ignored = GgufFile.open(path)) {
            // The header, metadata and tensor table parse: the file is a GGUF model.
        } catch (RuntimeException e) {
            problems.add("gantry.model.path=" + path + ": " + e.getMessage());
        }
    }

    /** Implementation names must be installed; settings must belong to an installed plugin and a declared key. */
    private static void checkPlugins(GantryConfig config, PluginRegistry registry, List<String> problems) {
        PluginSelection selection = EngineSettings.plugins(config);
        for (ExtensionPoint<?> point : ExtensionPoint.ALL) {
            String name = selection.nameFor(point);
            List<String> installed = registry.names(point);
            if (!installed.contains(name)) {
                problems.add(point.configKey() + "=" + name + ": no installed plugin provides a " + point + " named '"
                        + name + "'; allowed: " + String.join(", ", installed));
            }
        }
        for (Map.Entry<String, Map<String, String>> entry : selection.settings().entrySet()) {
            GantryPlugin plugin = registry.plugins().get(entry.getKey());
            if (plugin == null) {
                problems.add("gantry.plugin." + entry.getKey() + ".*: no installed plugin is named '" + entry.getKey()
                        + "'; allowed: " + String.join(", ", registry.plugins().keySet()));
                continue;
            }
            List<ConfigKey<?>> keys = registry.configKeysOf(plugin);
            PluginConfig settings = PluginConfig.of(entry.getKey(), entry.getValue());
            try {
                settings.requireOnly(keys);
                for (ConfigKey<?> key : keys) {
                    settings.get(key);
                }
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
    }

    private static void atLeast(List<String> problems, String key, long value, long min) {
        if (value < min) {
            problems.add(key + "=" + value + " is out of range; allowed: " + min + " or more");
        }
    }
}
