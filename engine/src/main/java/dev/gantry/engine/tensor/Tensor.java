package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A named, typed view of tensor data, usually a slice of a memory-mapped GGUF file (never a copy).
 *
 * <p>GGUF lists dimensions fastest-varying first: {@code shape[0]} is the row length (columns) and the
 * product of the remaining dimensions is the number of rows. A weight matrix of shape
 * {@code [in, out]} therefore has {@code out} rows of {@code in} elements, and {@code W·x} is one
 * {@link #dotRow dot product} per row.
 *
 * @param name  the tensor's name in its file
 * @param type  the element encoding
 * @param shape dimensions, fastest-varying first
 * @param data  the encoded elements, exactly {@code type.bytesFor(elementCount())} bytes
 */
public record Tensor(String name, GgmlType type, long[] shape, MemorySegment data) {

    public Tensor {
        shape = shape.clone();
        long expected = type.bytesFor(count(shape));
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("tensor " + name + " " + type + Arrays.toString(shape)
                    + " needs " + expected + " bytes, got " + data.byteSize());
        }
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Total number of elements. */
    public long elementCount() {
        return count(shape);
    }

    /** Row length: {@code shape[0]}. */
    public int cols() {
        return Math.toIntExact(shape[0]);
    }

    /** Number of rows: the product of {@code shape[1..]}. */
    public int rows() {
        return Math.toIntExact(elementCount() / shape[0]);
    }

    /** This tensor's format. */
    public TensorFormat format() {
        return TensorFormats.of(type);
    }

    /** Dot product of row {@code row} with {@code x[xOff .. xOff+cols)}. */
    public float dotRow(int row, float[] x, int xOff) {
        long cols = shape[0];
        return format().dot(data, row * cols, x, xOff, (int) cols);
    }

    /** Decodes row {@code row} into {@code dst[dstOff .. dstOff+cols)}. */
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        long cols = shape[0];
        format().dequantize(data, row * cols, dst, dstOff, (int) cols);
    }

    /** Decodes the whole tensor (tests and small tensors such as norm weights). */
    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(elementCount())];
        format().dequantize(data, 0, out, 0, out.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.name.equals(name) && t.type == type && Arrays.equals(t.shape, shape)
                && t.data.equals(data);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + type + Arrays.toString(shape);
    }
}
