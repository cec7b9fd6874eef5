package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/** {@link GgmlType#F32}: plain little-endian IEEE single precision, four bytes per element. */
final class F32Format implements TensorFormat {

    /** Products summed in float before joining the total, which keeps rounding error near sqrt(n). */
    private static final int CHUNK = 32;

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        long offset = ElementRange.startByte(GgmlType.F32, first, n, dstOff, dst.length);
        MemorySegment.copy(data, LittleEndian.FLOAT, offset, dst, dstOff, n);
    }

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long offset = ElementRange.startByte(GgmlType.F32, first, n, xOff, x.length);
        float sum = 0f;
        for (int i = 0; i < n; i += CHUNK) {
            int end = Math.min(n, i + CHUNK);
            float partial = 0f;
            for (int j = i; j < end; j++) {
                partial += data.get(LittleEndian.FLOAT, offset + 4L * j) * x[xOff + j];
            }
            sum += partial;
        }
        return sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        ElementRange.checkWholeBlocks(GgmlType.F32, n, srcOff, src.length);
        MemorySegment.copy(src, srcOff, dst, LittleEndian.FLOAT, dstByteOffset, n);
    }
}
