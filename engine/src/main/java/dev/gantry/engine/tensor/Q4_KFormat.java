package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * {@link GgmlType#Q4_K}: super-blocks of 256 elements in 144 bytes: f16 {@code d}, f16 {@code dmin},
 * twelve bytes of packed 6-bit scales and mins ({@link KScaleMins}), then 128 bytes of 4-bit quants.
 *
 * <p>Each 64 elements share 32 quant bytes: the first 32 elements are their low nibbles (sub-block
 * {@code 2c}), the next 32 their high nibbles (sub-block {@code 2c + 1}). An element decodes as
 * {@code (d*sc) * q - (dmin*m)}, each product rounded to float first, as ggml does.
 *
 * <p>Encoding uses {@link KScaleMins}'s range-based scale choice rather than llama.cpp's iterative
 * search, so its blocks are valid and close to the input but not byte-identical to llama.cpp's.
 */
final class Q4_KFormat implements TensorFormat {

    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 144;
    private static final int QS = 16;
    private static final int MAX_Q = 15;

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    @Override
    public void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        long block = ElementRange.startByte(GgmlType.Q4_K, first, n, dstOff, dst.length);
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            float d = LittleEndian.f16(data, block);
            float dmin = LittleEndian.f16(data, block + KScaleMins.DMIN);
            for (int c = 0; c < 4; c++) {
                float d1 = d * KScaleMins.scale(data, block, 2 * c);
                float m1 = dmin * KScaleMins.min(data, block, 2 * c);
                float d2 = d * KScaleMins.scale(data, block, 2 * c + 1);
                float m2 = dmin * KScaleMins.min(data, block, 2 * c + 1);
                int base = dstOff + i + 64 * c;
                long qs = block + QS + 32L * c;
                for (int l = 0; l < 32; l++) {
                    int b = LittleEndian.u8(data, qs + l);
                    dst[base + l] = d1 * (b & 0xF) - m1;
                    dst[base + 32 + l] = d2 * (b >>> 4) - m2;
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long block = ElementRange.startByte(GgmlType.Q4_K, first, n, xOff, x.length);
        float sum = 0f;
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            float d = LittleEndian.f16(data, block);
            float dmin = LittleEndian.f16(data, block + KScaleMins.DMIN);
            float blockSum = 0f;
            for (int c = 0; c < 4; c++) {
                int base = xOff + i + 64 * c;
                long qs = block + QS + 32L * c;
                // sum(x * (s*q - m)) = s * sum(q*x) - m * sum(x): the quants stay integers until the end.
                float qx1 = 0f, x1 = 0f, qx2 = 0f, x2 = 0f;
                for (int l = 0; l < 32; l++) {
                    int b = LittleEndian.u8(data, qs + l);
                    float xa = x[base + l];
                    float xb = x[base + 32 + l];
                    qx1 += (b & 0xF) * xa;
                    x1 += xa;
                    qx2 += (b >>> 4) * xb;
                    x2 += xb;
                }
                blockSum += d * KScaleMins.scale(data, block, 2 * c) * qx1
                        - dmin * KScaleMins.min(data, block, 2 * c) * x1
                        + d * KScaleMins.scale(data, block, 2 * c + 1) * qx2
                        - dmin * KScaleMins.min(data, block, 2 * c + 1) * x2;
            }
            sum += blockSum;
        }
        return sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        ElementRange.checkWholeBlocks(GgmlType.Q4_K, n, srcOff, src.length);
        long block = dstByteOffset;
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            KScaleMins.encode(src, srcOff + i, MAX_Q, dst, block);
            float d = LittleEndian.f16(dst, block);
            float dmin = LittleEndian.f16(dst, block + KScaleMins.DMIN);
            for (int c = 0; c < 4; c++) {
                float d1 = d * KScaleMins.scale(dst, block, 2 * c);
                float m1 = dmin * KScaleMins.min(dst, block, 2 * c);
                float d2 = d * KScaleMins.scale(dst, block, 2 * c + 1);
                float m2 = dmin * KScaleMins.min(dst, block, 2 * c + 1);
                int base = srcOff + i + 64 * c;
                for (int l = 0; l < 32; l++) {
                    int lo = KScaleMins.quant(src[base + l], d1, m1, MAX_Q);
                    int hi = KScaleMins.quant(src[base + 32 + l], d2, m2, MAX_Q);
                    LittleEndian.putU8(dst, block + QS + 32L * c + l, lo | hi << 4);
                }
            }
        }
    }
}
