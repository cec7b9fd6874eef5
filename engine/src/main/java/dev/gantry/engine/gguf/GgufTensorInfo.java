package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One entry of a GGUF file's tensor table, as stored: kept apart from {@link dev.gantry.engine.tensor.Tensor}
 * because it also describes tensors whose type Gantry cannot decode, so a file can be listed (and a
 * clear error given) even when some of its tensors are unusable.
 *
 * @param name   the tensor's name
 * @param shape  dimensions, fastest-varying first (as {@code Tensor} describes)
 * @param typeId the GGML type id stored in the file, supported or not
 * @param offset byte offset of the tensor's data from the start of the data section
 */
public record GgufTensorInfo(String name, long[] shape, int typeId, long offset) {

    public GgufTensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The element type, or empty when Gantry does not support this type id. */
    public Optional<GgmlType> type() {
        return GgmlType.fromId(typeId);
    }

    /** A readable name for the type, supported or not ("Q8_0", "IQ2_XS"). */
    public String typeName() {
        return GgmlType.nameOfId(typeId);
    }

    /** Total number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes of data, or empty when the type is unsupported (its block layout is not known here). */
    public OptionalLong byteSize() {
        return type().map(t -> OptionalLong.of(t.bytesFor(elementCount()))).orElse(OptionalLong.empty());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && t.name.equals(name) && Arrays.equals(t.shape, shape)
                && t.typeId == typeId && t.offset == offset;
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + typeId;
    }

    @Override
    public String toString() {
        return name + " " + typeName() + Arrays.toString(shape) + " @" + offset;
    }
}
