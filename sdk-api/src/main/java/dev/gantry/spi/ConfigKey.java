package dev.gantry.spi;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A typed plugin setting: its name (relative to the plugin's namespace), how to parse it, its default and a
 * description. Factories publish their keys through {@link ExtensionFactory#configKeys()} so the runtime can
 * document them and reject misspelt ones; plugins read values with {@link PluginConfig#get(ConfigKey)}.
 *
 * <pre>{@code
 * static final ConfigKey<Integer> QUEUES = ConfigKey.integer("queues", 5, "number of MLFQ levels").atLeast(1);
 * int queues = config.get(QUEUES);
 * }</pre>
 *
 * @param <T> the value type
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class ConfigKey<T> {

    private final String name;
    private final String typeDescription;
    private final Function<String, T> parser;
    private final T defaultValue;
    private final String description;
    private final Function<T, String> validator;

    private ConfigKey(String name, String typeDescription, Function<String, T> parser, T defaultValue,
                      String description, Function<T, String> validator) {
        this.name = Objects.requireNonNull(name, "name");
        if (name.isBlank() || !name.equals(name.strip())) {
            throw new IllegalArgumentException("config key name must be non-blank without surrounding spaces: '"
                    + name + "'");
        }
        this.typeDescription = typeDescription;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description, "description");
        this.validator = validator;
    }

    /**
     * A string setting.
     *
     * @param name         the key, relative to the plugin's namespace; not blank
     * @param defaultValue the value when none is configured, or null when the key is required
     * @param description  one sentence saying what the setting does
     * @return the key
     */
    public static ConfigKey<String> string(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, "a string", s -> s, defaultValue, description, v -> null);
    }

    /**
     * An integer setting.
     *
     * @param name         the key, relative to the plugin's namespace; not blank
     * @param defaultValue the value when none is configured, or null when the key is required
     * @param description  one sentence saying what the setting does
     * @return the key
     */
    public static ConfigKey<Integer> integer(String name, Integer defaultValue, String description) {
        return new ConfigKey<>(name, "an integer", s -> Integer.valueOf(s.strip()), defaultValue, description,
                v -> null);
    }

    /**
     * A 64-bit integer setting.
     *
     * @param name         the key, relative to the plugin's namespace; not blank
     * @param defaultValue the value when none is configured, or null when the key is required
     * @param description  one sentence saying what the setting does
     * @return the key
     */
    public static ConfigKey<Long> longInteger(String name, Long defaultValue, String description) {
        return new ConfigKey<>(name, "an integer", s -> Long.valueOf(s.strip()), defaultValue, description, v -> null);
    }

    /**
     * A decimal setting.
     *
     * @param name         the key, relative to the plugin's namespace; not blank
     * @param defaultValue the value when none is configured, or null when the key is required
     * @param description  one sentence saying what the setting does
     * @return the key
     */
    public static ConfigKey<Double> decimal(String name, Double defaultValue, String description) {
        return new ConfigKey<>(name, "a number", s -> {
            double d = Double.parseDouble(s.strip());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException("not finite");
            }
            return d;
        }, defaultValue, description, v -> null);
    }

    /**
     * A boolean setting: {@code true} or {@code false}, case-insensitive.
     *
     * @param name         the key, relative to the plugin's namespace; not blank
     * @param defaultValue the value when none is configured, or null when the key is required
     * @param description  one sentence saying what the setting does
     * @return the key
     */
    public static ConfigKey<Boolean> bool(String name, Boolean defaultValue, String description) {
        return new ConfigKey<>(name, "true or false", s -> switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a boolean");
        }, defaultValue, description, v -> null);
    }

    /**
     * An enum setting, matched case-insensitively against the constant names ({@code -} and {@code _} alike).
     *
     * @param <E>          the enum type
     * @param name         the key, relative to the plugin's namespace; not blank
     * @param type         the enum class whose constants are the allowed values
     * @param defaultValue the value when none is configured, or null when the key is required
     * @param description  one sentence saying what the setting does
     * @return the key
     */
    public static <E extends Enum<E>> ConfigKey<E> enumeration(String name, Class<E> type, E defaultValue,
                                                               String description) {
        String allowed = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        return new ConfigKey<>(name, "one of " + allowed, s -> {
            String wanted = s.strip().replace('-', '_');
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(wanted)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("not one of " + allowed);
        }, defaultValue, description, v -> null);
    }

    /**
     * A duration: ISO-8601 ({@code PT30S}) or a number with a unit suffix {@code ms}, {@code s}, {@code m}, {@code h}.
     *
     * @param name         the key, relative to the plugin's namespace; not blank
     * @param defaultValue the value when none is configured, or null when the key is required
     * @param description  one sentence saying what the setting does
     * @return the key
     */
    public static ConfigKey<Duration> duration(String name, Duration defaultValue, String description) {
        return new ConfigKey<>(name, "a duration such as 500ms, 30s, 2m or PT30S", ConfigKey::parseDuration,
                defaultValue, description, v -> null);
    }

    /**
     * A size in bytes: a number with an optional suffix {@code k}, {@code m}, {@code g}, {@code t} (powers of 1024).
     *
     * @param name         the key, relative to the plugin's namespace; not blank
     * @param defaultValue the value in bytes when none is configured, or null when the key is required
     * @param description  one sentence saying what the setting does
     * @return the key
     */
    public static ConfigKey<Long> bytes(String name, Long defaultValue, String description) {
        return new ConfigKey<>(name, "a size in bytes such as 512m or 4g", ConfigKey::parseBytes, defaultValue,
                description, v -> null);
    }

    /**
     * This key, additionally requiring values of at least {@code min}.
     *
     * @param min the smallest value allowed
     * @return a new key; this one is unchanged
     */
    public ConfigKey<T> atLeast(Comparable<? super T> min) {
        return withCheck(v -> min.compareTo(v) > 0 ? "must be at least " + min : null);
    }

    /**
     * This key, additionally requiring values of at most {@code max}.
     *
     * @param max the largest value allowed
     * @return a new key; this one is unchanged
     */
    public ConfigKey<T> atMost(Comparable<? super T> max) {
        return withCheck(v -> max.compareTo(v) < 0 ? "must be at most " + max : null);
    }

    /**
     * This key with one more check: the function returns null for a good value, or a sentence fragment saying
     * what is wrong ("must be a power of two").
     *
     * @param check returns null for a good value, or what is wrong with it
     * @return a new key; this one is unchanged
     */
    public ConfigKey<T> withCheck(Function<T, String> check) {
        Function<T, String> previous = validator;
        return new ConfigKey<>(name, typeDescription, parser, defaultValue, description, v -> {
            String first = previous.apply(v);
            return first != null ? first : check.apply(v);
        });
    }

    /** {@return the key's name, relative to the plugin's namespace} */
    public String name() {
        return name;
    }

    /** {@return what the value must look like, for messages and generated documentation ("an integer")} */
    public String typeDescription() {
        return typeDescription;
    }

    /** {@return the default, or empty when the key is required} */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** {@return one sentence saying what the setting does} */
    public String description() {
        return description;
    }

    /**
     * Parses and checks a raw value.
     *
     * @param fullKey the key as the operator wrote it, for the message
     * @throws PluginConfigException naming {@code fullKey} when the value does not parse or fails a check
     */
    T parse(String fullKey, String raw) {
        T value;
        try {
            value = parser.apply(raw);
        } catch (RuntimeException e) {
            throw new PluginConfigException(fullKey, fullKey + ": '" + raw + "' is not " + typeDescription);
        }
        check(fullKey, value);
        return value;
    }

    void check(String fullKey, T value) {
        String problem = validator.apply(value);
        if (problem != null) {
            throw new PluginConfigException(fullKey, fullKey + ": " + value + " " + problem);
        }
    }

    private static Duration parseDuration(String raw) {
        String s = raw.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("p")) {
            return Duration.parse(s.toUpperCase(Locale.ROOT));
        }
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).strip()));
        }
        long n = Long.parseLong(s.substring(0, s.length() - 1).strip());
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("unknown unit");
        };
    }

    private static Long parseBytes(String raw) {
        String s = raw.strip().toLowerCase(Locale.ROOT);
        if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = switch (s.isEmpty() ? ' ' : s.charAt(s.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1).strip();
        long n = Long.parseLong(digits);
        if (n < 0) {
            throw new IllegalArgumentException("negative");
        }
        return Math.multiplyExact(n, 1L << shift);
    }

    @Override
    public String toString() {
        return name + " (" + typeDescription + defaultValue().map(d -> ", default " + d).orElse(", required") + ")";
    }
}
