package dev.gantry.engine.gguf;

import java.util.List;

/**
 * A GGUF array value: its element type and its elements, each held as {@link GgufValueType} describes
 * ({@code Long}, {@code Float}, {@code Double}, {@code Boolean}, {@code String}, or a nested
 * {@code GgufArray}).
 *
 * @param elementType the declared type of every element
 * @param values      the elements, unmodifiable
 */
public record GgufArray(GgufValueType elementType, List<Object> values) {

    public GgufArray {
        values = List.copyOf(values);
    }

    /** Number of elements. */
    public int size() {
        return values.size();
    }
}
