package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The field encodings GGUF tensor data uses, read and written in little-endian order whatever the
 * platform, so that every format spells out byte order in one place.
 */
final class LittleEndian {

    /** A 16-bit field at any byte offset. */
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A 32-bit float at any byte offset. */
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }

    /** The unsigned byte at {@code offset}. */
    static int u8(MemorySegment data, long offset) {
        return data.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    /** The signed byte at {@code offset}. */
    static int i8(MemorySegment data, long offset) {
        return data.get(ValueLayout.JAVA_BYTE, offset);
    }

    /** Stores the low eight bits of {@code value} at {@code offset}. */
    static void putU8(MemorySegment data, long offset, int value) {
        data.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
    }

    /** The IEEE half-precision value at {@code offset}, widened exactly. */
    static float f16(MemorySegment data, long offset) {
        return Float.float16ToFloat(data.get(SHORT, offset));
    }

    /** Stores {@code value} as IEEE half precision (round to nearest even) at {@code offset}. */
    static void putF16(MemorySegment data, long offset, float value) {
        data.set(SHORT, offset, Float.floatToFloat16(value));
    }
}
