package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a GGUF file's tensor table and checks that the tensors it describes lie inside the data section,
 * aligned and without overlapping.
 *
 * <p>These checks are done once, at open, so that a {@link dev.gantry.engine.tensor.Tensor} handed out
 * later is always a valid slice of the mapping. A tensor whose type Gantry does not support has no
 * known size: it is checked for alignment and range of its start only, and refused when requested.
 */
final class GgufTensorTableReader {

    /** GGML_MAX_DIMS: ggml tensors have at most four dimensions. */
    static final int MAX_DIMS = 4;

    /** Smallest possible tensor info: name length, n_dims, one dimension, type, offset. */
    static final int MIN_INFO_BYTES = 8 + 4 + 8 + 4 + 8;

    private final GgufCursor in;

    GgufTensorTableReader(GgufCursor in) {
        this.in = in;
    }

    /** Reads {@code count} tensor infos (already checked to fit) in file order. */
    List<GgufTensorInfo> read(long count) {
        List<GgufTensorInfo> infos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long i = 0; i < count; i++) {
            String name = in.readString("name of tensor " + i);
            if (!names.add(name)) {
                throw in.error("duplicate tensor name " + name + " (tensor " + i + ")");
            }
            long[] shape = readShape(name);
            int typeId = in.readInt("type of tensor " + name);
            long offset = in.readLong("data offset of tensor " + name);
            checkElements(name, shape, typeId);
            infos.add(new GgufTensorInfo(name, shape, typeId, offset));
        }
        return infos;
    }

    private long[] readShape(String name) {
        int nDims = in.readInt("dimension count of tensor " + name);
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw in.error("tensor " + name + " has " + Integer.toUnsignedString(nDims)
                    + " dimensions; GGUF tensors have 1 to " + MAX_DIMS);
        }
        long[] shape = new long[nDims];
        for (int d = 0; d < nDims; d++) {
            shape[d] = in.readLong("dimension " + d + " of tensor " + name);
            if (shape[d] <= 0) {
                throw in.error("tensor " + name + " has dimension " + d + " = " + Long.toUnsignedString(shape[d])
                        + "; every dimension must be at least 1");
            }
        }
        return shape;
    }

    private void checkElements(String name, long[] shape, int typeId) {
        long elements = 1;
        for (long d : shape) {
            if (elements > Long.MAX_VALUE / d) {
                throw in.error("tensor " + name + " has shape " + Arrays.toString(shape)
                        + ", whose element count overflows a 64-bit integer");
            }
            elements *= d;
        }
        GgmlType type = GgmlType.fromId(typeId).orElse(null);
        if (type == null) {
            return; // size unknown: refused when requested, not at open, so the rest of the file stays usable
        }
        if (shape[0] % type.blockSize() != 0) {
            throw in.error("tensor " + name + " of type " + type + " has rows of " + shape[0]
                    + " elements, not a multiple of the type's block size " + type.blockSize());
        }
        if (elements / type.blockSize() > Long.MAX_VALUE / type.blockBytes()) {
            throw in.error("tensor " + name + " has shape " + Arrays.toString(shape) + ", whose size in bytes "
                    + "overflows a 64-bit integer");
        }
    }

    /**
     * Checks that every tensor starts on the alignment, lies within the data section of
     * {@code dataSize} bytes, and does not overlap the next tensor in the section.
     */
    void checkLayout(List<GgufTensorInfo> infos, long alignment, long dataOffset, long dataSize) {
        for (GgufTensorInfo t : infos) {
            if (t.offset() >= 0 && t.offset() % alignment != 0) {
                throw in.error("tensor " + t.name() + " has data offset " + t.offset()
                        + ", not a multiple of the alignment " + alignment);
            }
            if (t.offset() < 0 || t.offset() >= dataSize) {
                throw in.error("truncated or corrupt: tensor " + t.name() + " starts at data offset "
                        + Long.toUnsignedString(t.offset()) + ", out of range: the data section starts at file offset "
                        + dataOffset + " and the file ends at " + (dataOffset + dataSize));
            }
            long size = t.byteSize().orElse(0);
            if (size > dataSize - t.offset()) {
                throw in.error("truncated or corrupt: tensor " + t.name() + " (" + t.typeName()
                        + Arrays.toString(t.shape()) + ", " + size + " bytes at file offset "
                        + (dataOffset + t.offset()) + ") extends beyond the end of the file ("
                        + (dataOffset + dataSize) + " bytes)");
            }
        }
        List<GgufTensorInfo> byOffset = new ArrayList<>(infos);
        byOffset.sort(Comparator.comparingLong(GgufTensorInfo::offset));
        for (int i = 1; i < byOffset.size(); i++) {
            GgufTensorInfo a = byOffset.get(i - 1);
            GgufTensorInfo b = byOffset.get(i);
            // An unsupported tensor's size is unknown, but it holds at least one byte.
            long aEnd = a.offset() + Math.max(1, a.byteSize().orElse(1));
            if (aEnd > b.offset()) {
                throw in.error("tensors " + a.name() + " (data offset " + a.offset() + ") and " + b.name()
                        + " (data offset " + b.offset() + ") overlap");
            }
        }
    }
}
