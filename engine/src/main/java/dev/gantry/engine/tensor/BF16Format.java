package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * {@link GgmlType#BF16}: the upper 16 bits of an IEEE single, two little-endian bytes per element.
 *
 * <p>Decoding is exact (the low 16 bits become zero). Encoding follows ggml: round to nearest even on
 * the dropped bits (so values near {@code Float.MAX_VALUE} round to infinity), subnormals kept, and a
 * NaN stays NaN with its quiet bit set, since truncating a signalling NaN's payload could otherwise
 * leave the bits of infinity.
 */
final class BF16Format implements TensorFormat {

    /** Products summed in float before joining the total, which keeps rounding error near sqrt(n). */
    private static final int CHUNK = 32;

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    public void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        long offset = ElementRange.startByte(GgmlType.BF16, first, n, dstOff, dst.length);
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = decode(data.get(LittleEndian.SHORT, offset + 2L * i));
        }
    }

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long offset = ElementRange.startByte(GgmlType.BF16, first, n, xOff, x.length);
        float sum = 0f;
        for (int i = 0; i < n; i += CHUNK) {
            int end = Math.min(n, i + CHUNK);
            float partial = 0f;
            for (int j = i; j < end; j++) {
                partial += decode(data.get(LittleEndian.SHORT, offset + 2L * j)) * x[xOff + j];
            }
            sum += partial;
        }
        return sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        ElementRange.checkWholeBlocks(GgmlType.BF16, n, srcOff, src.length);
        for (int i = 0; i < n; i++) {
            dst.set(LittleEndian.SHORT, dstByteOffset + 2L * i, encode(src[srcOff + i]));
        }
    }

    private static float decode(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    private static short encode(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
