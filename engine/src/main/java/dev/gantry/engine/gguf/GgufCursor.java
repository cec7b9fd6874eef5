package dev.gantry.engine.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads little-endian GGUF fields from a mapped file, checking every read against the end of the file.
 *
 * <p>It exists so that a truncated or hostile file can only ever produce a {@link GgufFormatException}
 * naming the file, the field and the offset: every read is bounds-checked here, and every length or
 * count read from the file is checked against the bytes that remain before anything is allocated for it.
 */
final class GgufCursor {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Far beyond any real string (chat templates are kilobytes), and a bound on what one string costs. */
    static final long MAX_STRING_BYTES = 64L << 20;

    private final MemorySegment file;
    private final String source;
    // Strict: GGUF strings are UTF-8, and a file that is not is corrupt rather than something to guess at.
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private long position;

    GgufCursor(MemorySegment file, String source) {
        this.file = file;
        this.source = source;
    }

    long position() {
        return position;
    }

    long size() {
        return file.byteSize();
    }

    long remaining() {
        return file.byteSize() - position;
    }

    /** An exception naming this cursor's file. */
    GgufFormatException error(String problem) {
        return new GgufFormatException(source, problem);
    }

    private void require(long bytes, String what) {
        if (bytes > remaining()) {
            throw error("truncated: " + what + " needs " + bytes + " bytes at offset " + position
                    + " but the file ends at " + file.byteSize());
        }
    }

    byte readByte(String what) {
        require(1, what);
        return file.get(ValueLayout.JAVA_BYTE, position++);
    }

    short readShort(String what) {
        require(2, what);
        short v = file.get(U16, position);
        position += 2;
        return v;
    }

    int readInt(String what) {
        require(4, what);
        int v = file.get(U32, position);
        position += 4;
        return v;
    }

    long readLong(String what) {
        require(8, what);
        long v = file.get(U64, position);
        position += 8;
        return v;
    }

    float readFloat(String what) {
        require(4, what);
        float v = file.get(F32, position);
        position += 4;
        return v;
    }

    double readDouble(String what) {
        require(8, what);
        double v = file.get(F64, position);
        position += 8;
        return v;
    }

    /**
     * Reads a u64 count of items that each take at least {@code minBytesEach} bytes, and refuses it unless
     * that many items can fit in what is left of the file (so no list is ever sized from a corrupt count).
     */
    long readCount(String what, long minBytesEach) {
        long at = position;
        long count = readLong(what);
        long fits = remaining() / minBytesEach;
        if (count < 0 || count > fits) {
            throw error("truncated or corrupt: " + what + " is " + Long.toUnsignedString(count) + " (at offset " + at
                    + "), but each takes at least " + minBytesEach + " bytes and only " + remaining()
                    + " bytes remain in the file");
        }
        return count;
    }

    /** A GGUF string: a u64 byte length, then that many bytes of strict UTF-8. */
    String readString(String what) {
        long at = position;
        long length = readLong("length of " + what);
        if (length < 0 || length > remaining()) {
            throw error("truncated or corrupt: " + what + " at offset " + at + " claims "
                    + Long.toUnsignedString(length) + " bytes, but only " + remaining() + " bytes remain in the file");
        }
        if (length > MAX_STRING_BYTES) {
            throw error(what + " at offset " + at + " is " + length + " bytes long; Gantry refuses strings over "
                    + MAX_STRING_BYTES + " bytes");
        }
        byte[] bytes = file.asSlice(position, length).toArray(ValueLayout.JAVA_BYTE);
        try {
            String s = utf8.reset().decode(ByteBuffer.wrap(bytes)).toString();
            position += length;
            return s;
        } catch (CharacterCodingException e) {
            throw error(what + " at offset " + at + " is not valid UTF-8");
        }
    }
}
