package dev.gantry.engine.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The key/value metadata of a GGUF file, in file order, with typed accessors.
 *
 * <p>Accessors that return a plain value throw {@link GgufFormatException} naming the key when it is
 * missing or of the wrong type; the {@code optional*} ones return empty when the key is missing and
 * still refuse a wrong type.
 */
public final class GgufMetadata {

    /** One entry: the declared type and the value held as {@link GgufValueType} describes. */
    public record Entry(GgufValueType type, Object value) {
    }

    private final String source;
    private final Map<String, Entry> entries;

    /**
     * @param source  names the file in error messages
     * @param entries the entries in file order
     */
    public GgufMetadata(String source, Map<String, Entry> entries) {
        this.source = source;
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** All entries, in file order. */
    public Map<String, Entry> entries() {
        return entries;
    }

    /** Whether the key is present. */
    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The raw value, or empty. */
    public Optional<Object> get(String key) {
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(e.value());
    }

    public String getString(String key) {
        return optionalString(key).orElseThrow(() -> missing(key));
    }

    public Optional<String> optionalString(String key) {
        return typed(key, String.class, "a string");
    }

    public long getLong(String key) {
        return optionalLong(key).orElseThrow(() -> missing(key));
    }

    public Optional<Long> optionalLong(String key) {
        return typed(key, Long.class, "an integer");
    }

    /** An integer value that must fit in an {@code int}. */
    public int getInt(String key) {
        return optionalInt(key).orElseThrow(() -> missing(key));
    }

    public Optional<Integer> optionalInt(String key) {
        return optionalLong(key).map(v -> {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new GgufFormatException(source, "metadata " + key + " = " + v + " is out of range");
            }
            return v.intValue();
        });
    }

    /** A FLOAT32 or FLOAT64 value (integers are accepted too). */
    public double getDouble(String key) {
        return optionalDouble(key).orElseThrow(() -> missing(key));
    }

    public Optional<Double> optionalDouble(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (e.value() instanceof Number n) {
            return Optional.of(n.doubleValue());
        }
        throw wrongType(key, "a number", e);
    }

    public boolean getBoolean(String key) {
        return optionalBoolean(key).orElseThrow(() -> missing(key));
    }

    public Optional<Boolean> optionalBoolean(String key) {
        return typed(key, Boolean.class, "a boolean");
    }

    public GgufArray getArray(String key) {
        return optionalArray(key).orElseThrow(() -> missing(key));
    }

    public Optional<GgufArray> optionalArray(String key) {
        return typed(key, GgufArray.class, "an array");
    }

    /** An array of strings. */
    public List<String> getStringList(String key) {
        GgufArray a = getArray(key);
        if (a.elementType() != GgufValueType.STRING) {
            throw new GgufFormatException(source, "metadata " + key + " must be an array of strings, is an array of "
                    + a.elementType());
        }
        return a.values().stream().map(String.class::cast).toList();
    }

    /** An array of numbers as floats. */
    public float[] getFloatArray(String key) {
        GgufArray a = getArray(key);
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(a.values().get(i) instanceof Number n)) {
                throw new GgufFormatException(source, "metadata " + key + " must be an array of numbers");
            }
            out[i] = n.floatValue();
        }
        return out;
    }

    /** An array of integers as ints. */
    public int[] getIntArray(String key) {
        GgufArray a = getArray(key);
        if (!a.elementType().isInteger()) {
            throw new GgufFormatException(source, "metadata " + key + " must be an array of integers, is an array of "
                    + a.elementType());
        }
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.toIntExact((Long) a.values().get(i));
        }
        return out;
    }

    private <T> Optional<T> typed(String key, Class<T> type, String what) {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (!type.isInstance(e.value())) {
            throw wrongType(key, what, e);
        }
        return Optional.of(type.cast(e.value()));
    }

    private GgufFormatException missing(String key) {
        return new GgufFormatException(source, "required metadata key " + key + " is missing");
    }

    private GgufFormatException wrongType(String key, String what, Entry e) {
        return new GgufFormatException(source, "metadata " + key + " must be " + what + ", is " + e.type());
    }
}
