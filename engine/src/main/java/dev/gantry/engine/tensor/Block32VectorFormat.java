package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * What the vector formats with 32-element blocks (Q8_0, Q4_0) share in decoding: the range checks, once per call,
 * and the row loop of {@link #dequantizeRows}. Each format supplies {@link #decodeBlocks}, its decoding of a run of
 * blocks.
 */
abstract class Block32VectorFormat implements TensorFormat {

    @Override
    public final void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        decodeBlocks(data, ElementRange.startByte32(type(), first, n, dstOff, dst.length), dst, dstOff, n);
    }

    @Override
    public final void dequantizeRows(MemorySegment data, long first, long rowStride, int rows, float[] dst,
                                     int dstOff, int dstStride, int n) {
        long start = ElementRange.rowsStartByte32(type(), first, rowStride, rows, n, dstOff, dstStride, dst.length);
        if (start < 0) {
            TensorFormat.super.dequantizeRows(data, first, rowStride, rows, dst, dstOff, dstStride, n);
            return;
        }
        long rowBytes = rowStride / type().blockSize() * type().blockBytes();
        for (int r = 0; r < rows; r++) {
            decodeBlocks(data, start + r * rowBytes, dst, dstOff + r * dstStride, n);
        }
    }

    /** Decodes {@code n} elements from the block at byte {@code block} on into {@code dst}, the range checked. */
    abstract void decodeBlocks(MemorySegment data, long block, float[] dst, int dstOff, int n);
}
