package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * {@link GgmlType#Q4_0}: blocks of 32 elements, each an f16 scale {@code d} followed by 16 bytes of
 * 4-bit quants. Byte {@code j} holds element {@code j} in its low nibble and element {@code j + 16} in
 * its high nibble; an element is {@code d * (q - 8)}.
 *
 * <p>Encoding is ggml's reference quantiser, bit for bit: {@code d = max / -8} where {@code max} is the
 * signed value of largest magnitude (so it maps to the otherwise unused {@code q = 0}), and
 * {@code q = min(15, (int) (x / d + 8.5))} using the unrounded {@code d}.
 */
final class Q4_0Format implements TensorFormat {

    private static final int BLOCK = 32;
    private static final int HALF = 16;
    private static final int BLOCK_BYTES = 18;
    private static final int QS = 2;

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        long block = ElementRange.startByte(GgmlType.Q4_0, first, n, dstOff, dst.length);
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            float d = LittleEndian.f16(data, block);
            int base = dstOff + i;
            for (int j = 0; j < HALF; j++) {
                int b = LittleEndian.u8(data, block + QS + j);
                dst[base + j] = ((b & 0xF) - 8) * d;
                dst[base + j + HALF] = ((b >>> 4) - 8) * d;
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long block = ElementRange.startByte(GgmlType.Q4_0, first, n, xOff, x.length);
        float sum = 0f;
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            int base = xOff + i;
            float qx = 0f;
            for (int j = 0; j < HALF; j++) {
                int b = LittleEndian.u8(data, block + QS + j);
                qx += ((b & 0xF) - 8) * x[base + j] + ((b >>> 4) - 8) * x[base + j + HALF];
            }
            sum += LittleEndian.f16(data, block) * qx;
        }
        return sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        ElementRange.checkWholeBlocks(GgmlType.Q4_0, n, srcOff, src.length);
        long block = dstByteOffset;
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            int base = srcOff + i;
            float amax = 0f;
            float max = 0f;
            for (int j = 0; j < BLOCK; j++) {
                float v = src[base + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f;
            float id = d != 0f ? 1f / d : 0f;
            LittleEndian.putF16(dst, block, d);
            for (int j = 0; j < HALF; j++) {
                int lo = Math.min(15, (int) (src[base + j] * id + 8.5f));
                int hi = Math.min(15, (int) (src[base + j + HALF] * id + 8.5f));
                LittleEndian.putU8(dst, block + QS + j, lo | hi << 4);
            }
        }
    }
}
