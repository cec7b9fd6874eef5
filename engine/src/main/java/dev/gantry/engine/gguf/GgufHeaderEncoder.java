package dev.gantry.engine.gguf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds the bytes of a GGUF header (everything before the data section) in memory, little-endian.
 *
 * <p>The header is small even for the largest models (a 128k-token vocabulary is a few megabytes), so it
 * is assembled here and written in one go, while the tensor data that follows is streamed.
 */
final class GgufHeaderEncoder {

    private byte[] buf = new byte[1 << 16];
    private int size;

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (more > Integer.MAX_VALUE - 16 - size) {
            throw new IllegalStateException("GGUF header larger than 2 GiB");
        }
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16L, Math.max(buf.length * 2L, size + more)));
        }
    }

    void u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void u16(int v) {
        u8(v);
        u8(v >>> 8);
    }

    void u32(int v) {
        u16(v);
        u16(v >>> 16);
    }

    void u64(long v) {
        u32((int) v);
        u32((int) (v >>> 32));
    }

    void string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        u64(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
    }

    /** Writes a value (already checked to suit {@code type}) without its type id. */
    void value(GgufValueType type, Object value) {
        switch (type) {
            case UINT8, INT8 -> u8(((Long) value).intValue());
            case UINT16, INT16 -> u16(((Long) value).intValue());
            case UINT32, INT32 -> u32(((Long) value).intValue());
            case UINT64, INT64 -> u64((Long) value);
            case FLOAT32 -> u32(Float.floatToRawIntBits((Float) value));
            case FLOAT64 -> u64(Double.doubleToRawLongBits((Double) value));
            case BOOL -> u8((Boolean) value ? 1 : 0);
            case STRING -> string((String) value);
            case ARRAY -> {
                GgufArray array = (GgufArray) value;
                u32(array.elementType().id());
                u64(array.size());
                for (Object element : array.values()) {
                    value(array.elementType(), element);
                }
            }
        }
    }
}
