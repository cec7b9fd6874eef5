package dev.gantry.engine.gguf;

/**
 * The metadata value types of GGUF v3, with their ids.
 *
 * <p>How each is held in {@link GgufMetadata}: every integer type as a {@code Long} (unsigned types
 * widened without sign; a {@code UINT64} above {@code Long.MAX_VALUE} is refused), {@code FLOAT32} as
 * {@code Float}, {@code FLOAT64} as {@code Double}, {@code BOOL} as {@code Boolean}, {@code STRING} as
 * {@code String}, and {@code ARRAY} as a {@link GgufArray}.
 */
public enum GgufValueType {
    UINT8(0, 1), INT8(1, 1), UINT16(2, 2), INT16(3, 2), UINT32(4, 4), INT32(5, 4), FLOAT32(6, 4),
    BOOL(7, 1), STRING(8, -1), ARRAY(9, -1), UINT64(10, 8), INT64(11, 8), FLOAT64(12, 8);

    private final int id;
    private final int byteSize;

    GgufValueType(int id, int byteSize) {
        this.id = id;
        this.byteSize = byteSize;
    }

    /** The id stored in the file. */
    public int id() {
        return id;
    }

    /** Encoded size in bytes, or -1 for variable-size types (STRING, ARRAY). */
    public int byteSize() {
        return byteSize;
    }

    /** Whether values of this type are held as {@code Long}. */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** The type with this id, or null when the id is not a GGUF value type. */
    public static GgufValueType fromId(int id) {
        for (GgufValueType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }
}
