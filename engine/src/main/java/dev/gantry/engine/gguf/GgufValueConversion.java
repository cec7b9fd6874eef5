package dev.gantry.engine.gguf;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the Java values given to {@link GgufWriter#put} into the form {@link GgufValueType} describes
 * ({@code Long} for every integer type, {@code Float}, {@code Double}, ...), refusing any value its type
 * cannot hold.
 *
 * <p>Checking here, when a value is put, means a bad value is reported at the call that gave it, and what
 * is written always reads back equal to what was put.
 */
final class GgufValueConversion {

    private GgufValueConversion() {
    }

    /** The held form of {@code value} as a {@code type}; {@code key} names it in messages. */
    static Object toHeld(String key, GgufValueType type, Object value) {
        return canonical(key, type, value, 0);
    }

    /** Converts a value to the form {@link GgufValueType} describes, refusing what the type cannot hold. */
    private static Object canonical(String key, GgufValueType type, Object value, int depth) {
        if (value == null) {
            throw new IllegalArgumentException("metadata " + key + ": value must not be null");
        }
        return switch (type) {
            case UINT8 -> integer(key, type, value, 0, 0xFF);
            case INT8 -> integer(key, type, value, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT16 -> integer(key, type, value, 0, 0xFFFF);
            case INT16 -> integer(key, type, value, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT32 -> integer(key, type, value, 0, 0xFFFF_FFFFL);
            case INT32 -> integer(key, type, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case UINT64 -> integer(key, type, value, 0, Long.MAX_VALUE);
            case INT64 -> integer(key, type, value, Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT32 -> ((Number) as(key, type, value, Number.class)).floatValue();
            case FLOAT64 -> ((Number) as(key, type, value, Number.class)).doubleValue();
            case BOOL -> as(key, type, value, Boolean.class);
            case STRING -> {
                String s = (String) as(key, type, value, String.class);
                requireEncodable(s, "metadata " + key);
                yield s;
            }
            case ARRAY -> {
                if (depth >= GgufMetadataReader.MAX_ARRAY_NESTING) {
                    throw new IllegalArgumentException("metadata " + key + " nests arrays deeper than "
                            + GgufMetadataReader.MAX_ARRAY_NESTING + " levels");
                }
                GgufArray array = (GgufArray) as(key, type, value, GgufArray.class);
                if (array.elementType() == null) {
                    throw new IllegalArgumentException("metadata " + key + ": an array needs an element type");
                }
                List<Object> elements = new ArrayList<>(array.size());
                for (Object element : array.values()) {
                    elements.add(canonical(key, array.elementType(), element, depth + 1));
                }
                yield new GgufArray(array.elementType(), elements);
            }
        };
    }

    private static Object as(String key, GgufValueType type, Object value, Class<?> expected) {
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("metadata " + key + ": a " + type + " value must be a "
                    + expected.getSimpleName() + ", got " + value.getClass().getSimpleName());
        }
        return value;
    }

    private static Long integer(String key, GgufValueType type, Object value, long min, long max) {
        if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)) {
            throw new IllegalArgumentException("metadata " + key + ": a " + type + " value must be an integer, got "
                    + value.getClass().getSimpleName());
        }
        long v = ((Number) value).longValue();
        if (v < min || v > max) {
            throw new IllegalArgumentException("metadata " + key + ": " + v + " is out of range for " + type
                    + " (" + min + " to " + max + ")");
        }
        return v;
    }

    /** Refuses strings that cannot be encoded as UTF-8 (lone surrogates), which would be silently mangled. */
    static void requireEncodable(String s, String what) {
        try {
            StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid Unicode (a lone surrogate?)");
        }
    }
}
