package dev.gantry.engine.tensor;

import java.util.Objects;

/**
 * Validates the element ranges handed to a {@link TensorFormat} and finds where they start, so that
 * every format rejects partial blocks and out-of-range arrays the same way before touching data.
 */
final class ElementRange {

    private ElementRange() {
    }

    /**
     * Checks that {@code [first, first+n)} is whole blocks of {@code type} and that
     * {@code array[arrayOff..arrayOff+n)} exists; returns the byte offset of the block holding
     * {@code first}.
     *
     * @throws IllegalArgumentException  when the range does not start and end on block boundaries
     * @throws IndexOutOfBoundsException when the array slice is out of bounds
     */
    static long startByte(GgmlType type, long first, int n, int arrayOff, int arrayLength) {
        int blockSize = type.blockSize();
        if (first < 0 || first % blockSize != 0) {
            throw new IllegalArgumentException(
                    type + " ranges must start on a block of " + blockSize + " elements; first=" + first);
        }
        checkWholeBlocks(type, n, arrayOff, arrayLength);
        return first / blockSize * type.blockBytes();
    }

    /**
     * {@link #startByte} for the types with 32-element blocks (Q8_0, Q4_0), with shifts and masks in place of
     * 64-bit divisions: the vector kernels call it once per column block of a batched product, where the
     * divisions would cost as much as decoding a block. Out-of-rule ranges go to {@link #startByte} for its
     * exception.
     */
    static long startByte32(GgmlType type, long first, int n, int arrayOff, int arrayLength) {
        if (((first | n) & 31) != 0 || first < 0 || n < 0) {
            return startByte(type, first, n, arrayOff, arrayLength);
        }
        Objects.checkFromIndexSize(arrayOff, n, arrayLength);
        return (first >>> 5) * type.blockBytes();
    }

    /**
     * For {@link TensorFormat#dequantizeRows} on the 32-element block types: checks the first and last rows as
     * {@link #startByte32} does and returns the first row's start byte, or -1 when there is nothing to decode or the
     * rows do not start on whole blocks at non-negative strides (the caller then decodes row by row, which throws
     * where a row is out of rule).
     */
    static long rowsStartByte32(GgmlType type, long first, long rowStride, int rows, int n, int dstOff,
                                int dstStride, int dstLength) {
        if (rows <= 1 || (rowStride & 31) != 0 || rowStride < 0 || dstStride < 0) {
            return -1;
        }
        long start = startByte32(type, first, n, dstOff, dstLength);
        startByte32(type, first + (rows - 1) * rowStride, n, dstOff + (rows - 1) * dstStride, dstLength);
        return start;
    }

    /**
     * Checks that {@code n} elements are whole blocks of {@code type} and that
     * {@code array[arrayOff..arrayOff+n)} exists.
     */
    static void checkWholeBlocks(GgmlType type, int n, int arrayOff, int arrayLength) {
        int blockSize = type.blockSize();
        if (n < 0 || n % blockSize != 0) {
            throw new IllegalArgumentException(
                    type + " ranges must be whole blocks of " + blockSize + " elements; n=" + n);
        }
        Objects.checkFromIndexSize(arrayOff, n, arrayLength);
    }
}
