package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * {@link GgmlType#Q8_0}: blocks of 32 elements, each an f16 scale {@code d} followed by 32 signed
 * bytes {@code q}; element {@code j} is {@code d * q[j]}.
 *
 * <p>Encoding is ggml's reference quantiser, bit for bit: {@code d = amax / 127} with {@code amax} the
 * largest magnitude in the block, {@code q = roundf(x / d)} (halves away from zero) using the unrounded
 * {@code d}, and {@code d} stored as f16.
 */
final class Q8_0Format implements TensorFormat {

    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 34;
    private static final int QS = 2;

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        long block = ElementRange.startByte(GgmlType.Q8_0, first, n, dstOff, dst.length);
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            float d = LittleEndian.f16(data, block);
            for (int j = 0; j < BLOCK; j++) {
                dst[dstOff + i + j] = LittleEndian.i8(data, block + QS + j) * d;
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long block = ElementRange.startByte(GgmlType.Q8_0, first, n, xOff, x.length);
        float sum = 0f;
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            int base = xOff + i;
            float qx = 0f;
            for (int j = 0; j < BLOCK; j++) {
                qx += LittleEndian.i8(data, block + QS + j) * x[base + j];
            }
            sum += LittleEndian.f16(data, block) * qx;
        }
        return sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        ElementRange.checkWholeBlocks(GgmlType.Q8_0, n, srcOff, src.length);
        long block = dstByteOffset;
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            int base = srcOff + i;
            float amax = 0f;
            for (int j = 0; j < BLOCK; j++) {
                amax = Math.max(amax, Math.abs(src[base + j]));
            }
            float d = amax / 127f;
            float id = d != 0f ? 1f / d : 0f;
            LittleEndian.putF16(dst, block, d);
            for (int j = 0; j < BLOCK; j++) {
                LittleEndian.putU8(dst, block + QS + j, roundHalfAway(src[base + j] * id));
            }
        }
    }

    /** C's {@code roundf}; computed in double, where {@code |v| + 0.5} is exact for any float below 2^29. */
    private static int roundHalfAway(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }
}
