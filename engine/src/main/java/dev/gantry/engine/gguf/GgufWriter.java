package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.TensorFormat;
import dev.gantry.engine.tensor.TensorFormats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF v3 files: metadata of every value type and tensors of every {@link GgmlType}, so that the
 * project can make its own test models and convert between formats.
 *
 * <p>Use it as a builder: {@code put*} metadata and {@code addTensor} tensors (both kept in the order
 * given), then {@link #write}. Tensor data is encoded and streamed one chunk at a time, so writing a
 * model larger than the heap needs only a few megabytes of buffers. The file is written beside the
 * target under a temporary name and moved into place when complete, so a failed write never leaves a
 * truncated file that looks like a model.
 *
 * <p>The layout is llama.cpp's: data aligned to {@code general.alignment} (32 unless set), each tensor's
 * data padded to the alignment. Not thread-safe.
 */
public final class GgufWriter {

    /** Key that sets the data alignment, as GGUF defines it. */
    public static final String ALIGNMENT_KEY = "general.alignment";
    private static final long DEFAULT_ALIGNMENT = 32;
    private static final int VERSION = 3;
    private static final int MAGIC = 0x46554747;
    /** llama.cpp's GGML_MAX_NAME is 64 bytes including the terminating zero. */
    private static final int MAX_NAME_BYTES = 63;
    /** Elements encoded per chunk: a multiple of every block size, and a few megabytes of buffer. */
    private static final int CHUNK_ELEMENTS = 1 << 20;

    private record PendingTensor(String name, GgmlType type, long[] shape, TensorElements values,
                                 MemorySegment encoded) {
        long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        long byteSize() {
            return type.bytesFor(elementCount());
        }
    }

    private final Map<String, GgufMetadata.Entry> metadata = new LinkedHashMap<>();
    private final Map<String, PendingTensor> tensors = new LinkedHashMap<>();

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValueType.STRING, value);
    }

    public GgufWriter putUInt32(String key, long value) {
        return put(key, GgufValueType.UINT32, value);
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValueType.INT32, (long) value);
    }

    public GgufWriter putUInt64(String key, long value) {
        return put(key, GgufValueType.UINT64, value);
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValueType.FLOAT32, value);
    }

    public GgufWriter putFloat64(String key, double value) {
        return put(key, GgufValueType.FLOAT64, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, value);
    }

    public GgufWriter putStringArray(String key, List<String> values) {
        return put(key, GgufValueType.ARRAY, new GgufArray(GgufValueType.STRING, new ArrayList<>(values)));
    }

    public GgufWriter putFloat32Array(String key, float[] values) {
        List<Object> boxed = new ArrayList<>(values.length);
        for (float v : values) {
            boxed.add(v);
        }
        return put(key, GgufValueType.ARRAY, new GgufArray(GgufValueType.FLOAT32, boxed));
    }

    public GgufWriter putInt32Array(String key, int[] values) {
        List<Object> boxed = new ArrayList<>(values.length);
        for (int v : values) {
            boxed.add((long) v);
        }
        return put(key, GgufValueType.ARRAY, new GgufArray(GgufValueType.INT32, boxed));
    }

    /**
     * Puts a value of any type. Integers may be given as {@code Long}, {@code Integer}, {@code Short} or
     * {@code Byte} and must fit the type's range; floats as any {@code Number}; arrays as a
     * {@link GgufArray} whose elements follow the same rules. A key put twice keeps its first position
     * and takes the new value.
     *
     * @throws IllegalArgumentException when the value does not suit the type
     */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        if (key == null || type == null) {
            throw new IllegalArgumentException("metadata key and type must not be null");
        }
        GgufValueConversion.requireEncodable(key, "metadata key");
        metadata.put(key, new GgufMetadata.Entry(type, GgufValueConversion.toHeld(key, type, value)));
        return this;
    }

    /**
     * Adds a tensor encoded from floats with {@code TensorFormats.of(type).quantize}. The array is read
     * when {@link #write} runs, not copied now.
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, float[] values) {
        long count = checkTensor(name, type, shape);
        if (values.length != count) {
            throw new IllegalArgumentException("tensor " + name + Arrays.toString(shape) + " has " + count
                    + " elements, but " + values.length + " values were given");
        }
        TensorElements source = (first, dst, n) -> System.arraycopy(values, (int) first, dst, 0, n);
        tensors.put(name, new PendingTensor(name, type, shape.clone(), source, null));
        return this;
    }

    /**
     * Adds a tensor whose elements are produced while writing, a chunk at a time: the way to write tensors
     * too large to hold as one array. The source is read once per {@link #write}.
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, TensorElements values) {
        checkTensor(name, type, shape);
        tensors.put(name, new PendingTensor(name, type, shape.clone(), values, null));
        return this;
    }

    /**
     * Adds a tensor already encoded in {@code type}'s format. The segment is read when {@link #write} runs,
     * so it must still be alive then.
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, MemorySegment encoded) {
        long count = checkTensor(name, type, shape);
        if (encoded.byteSize() != type.bytesFor(count)) {
            throw new IllegalArgumentException("tensor " + name + " " + type + Arrays.toString(shape) + " needs "
                    + type.bytesFor(count) + " bytes, got " + encoded.byteSize());
        }
        tensors.put(name, new PendingTensor(name, type, shape.clone(), null, encoded));
        return this;
    }

    private long checkTensor(String name, GgmlType type, long[] shape) {
        if (name == null || type == null || shape == null) {
            throw new IllegalArgumentException("tensor name, type and shape must not be null");
        }
        GgufValueConversion.requireEncodable(name, "tensor name");
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("tensor name " + name + " is longer than " + MAX_NAME_BYTES
                    + " bytes, which llama.cpp cannot read");
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor " + name + " was already added");
        }
        if (shape.length < 1 || shape.length > GgufTensorTableReader.MAX_DIMS) {
            throw new IllegalArgumentException("tensor " + name + " has " + shape.length + " dimensions; GGUF allows 1 to "
                    + GgufTensorTableReader.MAX_DIMS);
        }
        long count = 1;
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor " + name + Arrays.toString(shape)
                        + ": every dimension must be at least 1");
            }
            count = Math.multiplyExact(count, d);
        }
        if (shape[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor " + name + Arrays.toString(shape) + ": " + type
                    + " stores rows in blocks of " + type.blockSize() + " elements, and a row of " + shape[0]
                    + " is not a multiple");
        }
        type.bytesFor(count); // refuses a byte size that overflows
        return count;
    }

    /**
     * Writes the file: header, then each tensor's data in the order added. Replaces an existing file.
     *
     * @throws IllegalArgumentException when {@code general.alignment} is not a power of two
     * @throws UncheckedIOException     when the file cannot be written (the target is then left untouched)
     */
    public void write(Path out) {
        long alignment = alignment();
        List<PendingTensor> list = List.copyOf(tensors.values());
        GgufHeaderEncoder header = new GgufHeaderEncoder();
        header.u32(MAGIC);
        header.u32(VERSION);
        header.u64(list.size());
        header.u64(metadata.size());
        metadata.forEach((key, entry) -> {
            header.string(key);
            header.u32(entry.type().id());
            header.value(entry.type(), entry.value());
        });
        long offset = 0;
        for (PendingTensor t : list) {
            header.string(t.name());
            header.u32(t.shape().length);
            for (long d : t.shape()) {
                header.u64(d);
            }
            header.u32(t.type().id());
            header.u64(offset);
            offset = alignUp(offset + t.byteSize(), alignment);
        }

        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try {
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                 Arena arena = Arena.ofConfined()) {
                writeFully(channel, ByteBuffer.wrap(header.toByteArray()));
                pad(channel, header.size(), alignment);
                MemorySegment buffer = arena.allocate(maxChunkBytes(), 64);
                float[] chunk = new float[CHUNK_ELEMENTS];
                for (PendingTensor t : list) {
                    if (t.encoded() != null) {
                        writeSegment(channel, t.encoded());
                    } else {
                        writeEncoded(channel, t, chunk, buffer);
                    }
                    pad(channel, t.byteSize(), alignment);
                }
            }
            moveIntoPlace(partial, out);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new UncheckedIOException(out + ": cannot write the GGUF file: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    private long alignment() {
        GgufMetadata.Entry entry = metadata.get(ALIGNMENT_KEY);
        if (entry == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (!entry.type().isInteger()) {
            throw new IllegalArgumentException(ALIGNMENT_KEY + " must be an integer, is " + entry.type());
        }
        long a = (Long) entry.value();
        if (a <= 0 || a > 0xFFFF_FFFFL || Long.bitCount(a) != 1) {
            throw new IllegalArgumentException(ALIGNMENT_KEY + " is " + a + "; it must be a power of two");
        }
        return a;
    }

    private static long alignUp(long position, long alignment) {
        return (position + alignment - 1) & -alignment;
    }

    private static long maxChunkBytes() {
        long max = 0;
        for (GgmlType t : GgmlType.values()) {
            max = Math.max(max, t.bytesFor(CHUNK_ELEMENTS));
        }
        return max;
    }

    private static void writeEncoded(FileChannel channel, PendingTensor t, float[] chunk, MemorySegment buffer)
            throws IOException {
        TensorFormat format = TensorFormats.of(t.type());
        long count = t.elementCount();
        for (long first = 0; first < count; first += CHUNK_ELEMENTS) {
            int n = (int) Math.min(CHUNK_ELEMENTS, count - first);
            t.values().fill(first, chunk, n);
            long bytes = t.type().bytesFor(n);
            format.quantize(chunk, 0, n, buffer, 0);
            writeFully(channel, buffer.asSlice(0, bytes).asByteBuffer());
        }
    }

    private static void writeSegment(FileChannel channel, MemorySegment data) throws IOException {
        long step = 1 << 24;
        for (long off = 0; off < data.byteSize(); off += step) {
            writeFully(channel, data.asSlice(off, Math.min(step, data.byteSize() - off)).asByteBuffer());
        }
    }

    /** Writes zeros from {@code position} up to the next multiple of {@code alignment}. */
    private static void pad(FileChannel channel, long position, long alignment) throws IOException {
        long padding = alignUp(position, alignment) - position;
        byte[] zeros = new byte[(int) Math.min(padding, 1 << 16)];
        while (padding > 0) {
            int n = (int) Math.min(padding, zeros.length);
            writeFully(channel, ByteBuffer.wrap(zeros, 0, n));
            padding -= n;
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private static void moveIntoPlace(Path partial, Path out) throws IOException {
        try {
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // The original failure is the one worth reporting.
        }
    }
}
