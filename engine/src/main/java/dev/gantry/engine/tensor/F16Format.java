package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * {@link GgmlType#F16}: IEEE half precision, two little-endian bytes per element. Decoding is exact;
 * encoding rounds to nearest even and overflows to infinity, as ggml's conversion does.
 */
final class F16Format implements TensorFormat {

    /** Products summed in float before joining the total, which keeps rounding error near sqrt(n). */
    private static final int CHUNK = 32;

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        widen(data, ElementRange.startByte(GgmlType.F16, first, n, dstOff, dst.length), dst, dstOff, n);
    }

    /**
     * {@code dst[dstOff + i]} = the half at {@code byteOffset + 2i}, for {@code i < n}, unchecked. A plain loop
     * over {@link Float#float16ToFloat}, which the JIT vectorises into the processor's half-to-float conversion
     * where there is one; {@link F16VectorFormat} widens its rows through it too.
     */
    static void widen(MemorySegment data, long byteOffset, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = LittleEndian.f16(data, byteOffset + 2L * i);
        }
    }

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long offset = ElementRange.startByte(GgmlType.F16, first, n, xOff, x.length);
        float sum = 0f;
        for (int i = 0; i < n; i += CHUNK) {
            int end = Math.min(n, i + CHUNK);
            float partial = 0f;
            for (int j = i; j < end; j++) {
                partial += LittleEndian.f16(data, offset + 2L * j) * x[xOff + j];
            }
            sum += partial;
        }
        return sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        ElementRange.checkWholeBlocks(GgmlType.F16, n, srcOff, src.length);
        for (int i = 0; i < n; i++) {
            LittleEndian.putF16(dst, dstByteOffset + 2L * i, src[srcOff + i]);
        }
    }
}
