package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A GGUF file (version 3, or 2, which has the same layout), mapped into memory once and validated
 * completely at {@link #open}: its metadata, its tensor table, and that every tensor lies inside the
 * file. Tensors are handed out as slices of the mapping, never copies, so a multi-gigabyte model costs
 * no heap.
 *
 * <p>The mapping belongs to a shared arena owned by this object: tensors may be read from any thread
 * while the file is open, and <b>must not be used after {@link #close()}</b> (access then fails with
 * {@link IllegalStateException}). Every problem with the file's content is reported as a
 * {@link GgufFormatException} naming the file; failures to read it at all as {@link UncheckedIOException}.
 */
public final class GgufFile implements AutoCloseable {

    /** "GGUF" read as a little-endian u32. */
    private static final int MAGIC = 0x46554747;
    private static final long DEFAULT_ALIGNMENT = 32;
    private static final String ALIGNMENT_KEY = "general.alignment";
    /** A hundred times the tensors of the largest real models, and a bound on the table's heap. */
    private static final long MAX_TENSORS = 1 << 20;

    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final int version;
    private final GgufMetadata metadata;
    private final List<GgufTensorInfo> tensorInfos;
    private final Map<String, GgufTensorInfo> byName;
    private final long alignment;
    private final long dataOffset;

    private GgufFile(Path path, Arena arena, MemorySegment mapping, int version, GgufMetadata metadata,
                     List<GgufTensorInfo> tensorInfos, long alignment, long dataOffset) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.version = version;
        this.metadata = metadata;
        this.tensorInfos = List.copyOf(tensorInfos);
        this.byName = new LinkedHashMap<>();
        for (GgufTensorInfo t : tensorInfos) {
            byName.put(t.name(), t);
        }
        this.alignment = alignment;
        this.dataOffset = dataOffset;
    }

    /**
     * Maps and validates a GGUF file.
     *
     * @throws GgufFormatException  when the content is not a valid GGUF v2/v3 file Gantry can read
     * @throws UncheckedIOException when the file cannot be opened or mapped
     */
    public static GgufFile open(Path path) {
        String source = path.toString();
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            MemorySegment mapping = size == 0
                    ? arena.allocate(0)
                    : channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return parse(path, arena, mapping, new GgufCursor(mapping, source));
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException(source + ": cannot read the file: " + e.getMessage(), e);
        } catch (IndexOutOfBoundsException | ArithmeticException e) {
            // A check this reader lacks; still report it against the file rather than as a bare exception.
            arena.close();
            throw new GgufFormatException(source, "malformed file (" + e.getMessage() + ")", e);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static GgufFile parse(Path path, Arena arena, MemorySegment mapping, GgufCursor in) {
        int magic = in.readInt("magic");
        if (magic != MAGIC) {
            throw in.error("not a GGUF file: the magic is " + describeMagic(mapping) + ", expected \"GGUF\"");
        }
        int version = in.readInt("version");
        if (version != 2 && version != 3) {
            throw in.error(describeVersion(version));
        }
        long tensorCount = in.readCount("tensor count", GgufTensorTableReader.MIN_INFO_BYTES);
        long kvCount = in.readLong("metadata entry count");
        if (kvCount < 0 || kvCount > GgufMetadataReader.maxEntriesIn(in.remaining())) {
            throw in.error("truncated or corrupt: the metadata entry count is " + Long.toUnsignedString(kvCount)
                    + ", more than the remaining " + in.remaining() + " bytes of the file can hold");
        }
        if (tensorCount > MAX_TENSORS) {
            throw in.error("the file lists " + tensorCount + " tensors, more than the " + MAX_TENSORS
                    + " Gantry accepts");
        }
        GgufMetadata metadata = new GgufMetadata(path.toString(), new GgufMetadataReader(in).read(kvCount));
        long alignment = alignment(metadata, in);

        GgufTensorTableReader tables = new GgufTensorTableReader(in);
        List<GgufTensorInfo> infos = tables.read(tensorCount);
        long dataOffset = alignUp(in.position(), alignment);
        tables.checkLayout(infos, alignment, dataOffset, in.size() - dataOffset);
        return new GgufFile(path, arena, mapping, version, metadata, infos, alignment, dataOffset);
    }

    private static long alignment(GgufMetadata metadata, GgufCursor in) {
        GgufMetadata.Entry entry = metadata.entries().get(ALIGNMENT_KEY);
        if (entry == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (!entry.type().isInteger()) {
            throw in.error(ALIGNMENT_KEY + " must be an integer (UINT32), is " + entry.type());
        }
        long a = (Long) entry.value();
        if (a <= 0 || a > 0xFFFF_FFFFL || Long.bitCount(a) != 1) {
            throw in.error(ALIGNMENT_KEY + " is " + a + "; it must be a power of two that fits in a UINT32");
        }
        return a;
    }

    private static long alignUp(long position, long alignment) {
        return (position + alignment - 1) & -alignment;
    }

    private static String describeMagic(MemorySegment mapping) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < 4; i++) {
            int b = Byte.toUnsignedInt(mapping.get(ValueLayout.JAVA_BYTE, i));
            sb.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02X", b));
        }
        return sb.append('"').toString();
    }

    private static String describeVersion(int version) {
        String v = Integer.toUnsignedString(version);
        if (version == 1) {
            return "unsupported GGUF version 1 (it uses 32-bit counts; Gantry reads versions 2 and 3: "
                    + "convert the file with a current llama.cpp)";
        }
        if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
            return "unsupported GGUF version " + v + ": this looks like a big-endian GGUF file (version "
                    + Integer.reverseBytes(version) + "), and Gantry reads little-endian files only";
        }
        return "unsupported GGUF version " + v + " (Gantry reads versions 2 and 3)";
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** The GGUF version: 2 or 3. */
    public int version() {
        return version;
    }

    /** The key/value metadata, in file order. */
    public GgufMetadata metadata() {
        return metadata;
    }

    /** The tensor table, in file order, including tensors of types Gantry does not support. */
    public List<GgufTensorInfo> tensorInfos() {
        return tensorInfos;
    }

    /** The table entry for a tensor, or empty. */
    public Optional<GgufTensorInfo> tensorInfo(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Alignment of tensor data in bytes ({@code general.alignment}, 32 by default). */
    public long alignment() {
        return alignment;
    }

    /** File offset where the data section (and tensor offset 0) begins. */
    public long dataOffset() {
        return dataOffset;
    }

    /** Size of the file in bytes. */
    public long fileSize() {
        return mapping.byteSize();
    }

    /**
     * The named tensor as a view of the mapping, or empty when the file has no tensor of that name.
     *
     * @throws GgufFormatException when the tensor exists but its type is one Gantry does not support
     */
    public Optional<Tensor> tensor(String name) {
        GgufTensorInfo info = byName.get(name);
        if (info == null) {
            return Optional.empty();
        }
        GgmlType type = info.type().orElseThrow(() -> new GgufFormatException(path.toString(),
                "tensor " + name + " has type " + info.typeName() + " (" + info.typeId()
                        + "), which Gantry does not support (supported: " + supportedTypes() + ")"));
        long bytes = type.bytesFor(info.elementCount());
        return Optional.of(new Tensor(name, type, info.shape(), mapping.asSlice(dataOffset + info.offset(), bytes)));
    }

    /**
     * The named tensor as a view of the mapping.
     *
     * @throws GgufFormatException when there is no such tensor, or its type is not supported
     */
    public Tensor requireTensor(String name) {
        return tensor(name).orElseThrow(() -> new GgufFormatException(path.toString(),
                "required tensor " + name + " is missing"));
    }

    private static String supportedTypes() {
        return Arrays.stream(GgmlType.values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** Unmaps the file. Tensors obtained from it must not be used afterwards. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return path + " (GGUF v" + version + ", " + tensorInfos.size() + " tensors, " + metadata.entries().size()
                + " metadata entries)";
    }
}
