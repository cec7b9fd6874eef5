package dev.gantry.engine.gguf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the key/value section of a GGUF file into {@link GgufMetadata}, holding each value as
 * {@link GgufValueType} describes.
 *
 * <p>Separate from the tensor-info reading because values are recursive (arrays of arrays) and carry
 * most of the ways a file can be hostile: lengths and counts are checked against the remaining bytes
 * before anything is allocated, nesting is bounded so that a crafted file cannot exhaust the stack, and
 * unknown type ids, duplicate keys and out-of-range unsigned values are refused.
 */
final class GgufMetadataReader {

    /** Deeper nesting than any real file uses; the bound keeps recursion shallow. */
    static final int MAX_ARRAY_NESTING = 16;

    /**
     * Values (array elements included) a file's metadata may hold: dozens of times the largest real
     * vocabularies, yet a bound on the heap a crafted file can make the reader use.
     */
    static final long MAX_VALUES = 1L << 25;

    // Smallest encodings, used to refuse counts that cannot fit in the rest of the file.
    private static final int MIN_KV_BYTES = 8 + 4 + 1;
    private static final int MIN_STRING_BYTES = 8;
    private static final int MIN_ARRAY_BYTES = 4 + 8;

    private final GgufCursor in;
    private long valuesRead;

    GgufMetadataReader(GgufCursor in) {
        this.in = in;
    }

    /** Reads {@code count} entries (already checked to fit) and returns them in file order. */
    Map<String, GgufMetadata.Entry> read(long count) {
        if (count > MAX_VALUES) {
            throw in.error("the metadata has " + count + " entries, more than the " + MAX_VALUES
                    + " values Gantry accepts");
        }
        Map<String, GgufMetadata.Entry> entries = new LinkedHashMap<>();
        for (long i = 0; i < count; i++) {
            long at = in.position();
            String key = in.readString("key of metadata entry " + i);
            if (entries.containsKey(key)) {
                throw in.error("duplicate metadata key " + key + " (entry " + i + " at offset " + at + ")");
            }
            GgufValueType type = readType("type of metadata " + key);
            valuesRead++;
            Object value = readValue(type, "metadata " + key, 0);
            entries.put(key, new GgufMetadata.Entry(type, value));
        }
        return entries;
    }

    /** The largest count of metadata entries that could fit in {@code bytes}. */
    static long maxEntriesIn(long bytes) {
        return bytes / MIN_KV_BYTES;
    }

    private GgufValueType readType(String what) {
        long at = in.position();
        int id = in.readInt(what);
        GgufValueType type = GgufValueType.fromId(id);
        if (type == null) {
            throw in.error(what + " has unknown value type id " + Integer.toUnsignedString(id) + " (at offset " + at
                    + "; GGUF defines ids 0 to 12)");
        }
        return type;
    }

    /** Reads one value; {@code what} names it in messages ("metadata k", or "metadata k[]" for elements). */
    private Object readValue(GgufValueType type, String what, int depth) {
        return switch (type) {
            case UINT8 -> (long) Byte.toUnsignedInt(in.readByte(what));
            case INT8 -> (long) in.readByte(what);
            case UINT16 -> (long) Short.toUnsignedInt(in.readShort(what));
            case INT16 -> (long) in.readShort(what);
            case UINT32 -> Integer.toUnsignedLong(in.readInt(what));
            case INT32 -> (long) in.readInt(what);
            case UINT64 -> readUInt64(what);
            case INT64 -> in.readLong(what);
            case FLOAT32 -> in.readFloat(what);
            case FLOAT64 -> in.readDouble(what);
            // As llama.cpp reads it: any non-zero byte is true.
            case BOOL -> in.readByte(what) != 0;
            case STRING -> in.readString(what);
            case ARRAY -> readArray(what, depth + 1);
        };
    }

    private Long readUInt64(String what) {
        long at = in.position();
        long v = in.readLong(what);
        if (v < 0) {
            throw in.error(what + " is the UINT64 " + Long.toUnsignedString(v) + " (at offset " + at
                    + "), above the largest value Gantry holds (" + Long.MAX_VALUE + ")");
        }
        return v;
    }

    private GgufArray readArray(String what, int depth) {
        if (depth > MAX_ARRAY_NESTING) {
            throw in.error(what + " nests arrays deeper than " + MAX_ARRAY_NESTING + " levels");
        }
        GgufValueType elementType = readType("element type of " + what);
        long minBytes = switch (elementType) {
            case STRING -> MIN_STRING_BYTES;
            case ARRAY -> MIN_ARRAY_BYTES;
            default -> elementType.byteSize();
        };
        long count = in.readCount("element count of " + what, minBytes);
        if (count > MAX_VALUES - valuesRead) {
            throw in.error(what + " has " + count + " elements, which would take the metadata past the "
                    + MAX_VALUES + " values Gantry accepts");
        }
        valuesRead += count;
        List<Object> values = new ArrayList<>((int) count);
        // Built once, not per element: a vocabulary array has a hundred thousand strings.
        String elementName = what + "[]";
        for (long i = 0; i < count; i++) {
            values.add(readValue(elementType, elementName, depth));
        }
        return new GgufArray(elementType, values);
    }
}
