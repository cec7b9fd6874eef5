package dev.gantry.spi;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The settings of one plugin, as plain strings with typed access. The runtime builds one from every
 * {@code gantry.plugin.<plugin>.<key>} property and hands it to the plugin's factories, so plugins never
 * see the configuration framework. Immutable and thread-safe.
 *
 * <p>Failures are {@link PluginConfigException}s whose message names the full key as the operator wrote it.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class PluginConfig {

    private final String keyPrefix;
    private final Map<String, String> values;

    private PluginConfig(String keyPrefix, Map<String, String> values) {
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        this.values = Map.copyOf(values);
    }

    /**
     * Settings for the plugin named {@code pluginName}, as found under {@code gantry.plugin.<pluginName>.}.
     *
     * @param pluginName the plugin's name, used to name keys in messages
     * @param values     keys relative to the plugin's namespace, mapped to raw values; not null
     * @return the configuration
     */
    public static PluginConfig of(String pluginName, Map<String, String> values) {
        return new PluginConfig("gantry.plugin." + pluginName + ".", values);
    }

    /**
     * No settings: every key takes its default.
     *
     * @param pluginName the plugin's name, used to name keys in messages
     * @return the configuration
     */
    public static PluginConfig empty(String pluginName) {
        return of(pluginName, Map.of());
    }

    /**
     * The value of {@code key}: the configured one, parsed and checked, or the key's default.
     *
     * @param <T> the value type
     * @param key the setting
     * @return the value; never null
     * @throws PluginConfigException when the value is malformed, fails a check, or is missing for a key
     *                               without a default
     */
    public <T> T get(ConfigKey<T> key) {
        String fullKey = fullKey(key.name());
        String raw = values.get(key.name());
        if (raw == null) {
            T fallback = key.defaultValue().orElseThrow(() -> new PluginConfigException(fullKey,
                    fullKey + " is required (" + key.typeDescription() + "): " + key.description()));
            key.check(fullKey, fallback);
            return fallback;
        }
        return key.parse(fullKey, raw);
    }

    /**
     * The raw value of a key, or null.
     *
     * @param key the key, relative to the plugin's namespace
     * @return the value as configured, unparsed
     */
    public String raw(String key) {
        return values.get(key);
    }

    /** {@return the keys that were set, relative to the plugin's namespace} */
    public Set<String> keys() {
        return new TreeSet<>(values.keySet());
    }

    /**
     * The full configuration key for a relative one ({@code queues} → {@code gantry.plugin.fastserve.queues}).
     *
     * @param key the key, relative to the plugin's namespace
     * @return the full key
     */
    public String fullKey(String key) {
        return keyPrefix + key;
    }

    /**
     * Refuses settings that no declared key reads — usually a misspelling — naming the stray key and the
     * known ones.
     *
     * @param known the keys the plugin reads
     * @throws PluginConfigException for the first unknown key
     */
    public void requireOnly(Collection<? extends ConfigKey<?>> known) {
        Set<String> names = known.stream().map(ConfigKey::name).collect(Collectors.toCollection(TreeSet::new));
        for (String k : keys()) {
            if (!names.contains(k)) {
                throw new PluginConfigException(fullKey(k), fullKey(k) + " is not a known setting"
                        + (names.isEmpty() ? "; this plugin takes no settings"
                        : "; known: " + names.stream().map(this::fullKey).collect(Collectors.joining(", "))));
            }
        }
    }

    /**
     * This configuration with one value replaced (for tests and derived configurations).
     *
     * @param key   the key, relative to the plugin's namespace
     * @param value the raw value
     * @return a new configuration; this one is unchanged
     */
    public PluginConfig with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new PluginConfig(keyPrefix, copy);
    }

    @Override
    public String toString() {
        return new TreeMap<>(values).entrySet().stream().map(e -> fullKey(e.getKey()) + "=" + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
