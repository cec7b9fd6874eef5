package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * {@link GgmlType#Q5_K}: super-blocks of 256 elements in 176 bytes: f16 {@code d}, f16 {@code dmin},
 * twelve bytes of packed 6-bit scales and mins ({@link KScaleMins}), 32 bytes {@code qh} of fifth bits,
 * then 128 bytes {@code qs} of low nibbles.
 *
 * <p>Within each group {@code c} of 64 elements, element {@code l < 32} takes the low nibble of
 * {@code qs[32c + l]} and bit {@code 2c} of {@code qh[l]}; element {@code 32 + l} the high nibble and
 * bit {@code 2c + 1}. An element decodes as {@code (d*sc) * q - (dmin*m)}, each product rounded to
 * float first, as ggml does.
 *
 * <p>Encoding uses {@link KScaleMins}'s range-based scale choice rather than llama.cpp's iterative
 * search, so its blocks are valid and close to the input but not byte-identical to llama.cpp's.
 */
final class Q5_KFormat implements TensorFormat {

    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 176;
    private static final int QH = 16;
    private static final int QS = 48;
    private static final int MAX_Q = 31;

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    @Override
    public void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        long block = ElementRange.startByte(GgmlType.Q5_K, first, n, dstOff, dst.length);
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
                    int h = LittleEndian.u8(data, block + QH + l) >>> (2 * c);
                    dst[base + l] = d1 * ((b & 0xF) | (h & 1) << 4) - m1;
                    dst[base + 32 + l] = d2 * ((b >>> 4) | (h & 2) << 3) - m2;
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long block = ElementRange.startByte(GgmlType.Q5_K, first, n, xOff, x.length);
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
                    int h = LittleEndian.u8(data, block + QH + l) >>> (2 * c);
                    float xa = x[base + l];
                    float xb = x[base + 32 + l];
                    qx1 += ((b & 0xF) | (h & 1) << 4) * xa;
                    x1 += xa;
                    qx2 += ((b >>> 4) | (h & 2) << 3) * xb;
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
        ElementRange.checkWholeBlocks(GgmlType.Q5_K, n, srcOff, src.length);
        long block = dstByteOffset;
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            KScaleMins.encode(src, srcOff + i, MAX_Q, dst, block);
            float d = LittleEndian.f16(dst, block);
            float dmin = LittleEndian.f16(dst, block + KScaleMins.DMIN);
            for (int l = 0; l < 32; l++) {
                LittleEndian.putU8(dst, block + QH + l, 0);
            }
            for (int c = 0; c < 4; c++) {
                float d1 = d * KScaleMins.scale(dst, block, 2 * c);
                float m1 = dmin * KScaleMins.min(dst, block, 2 * c);
                float d2 = d * KScaleMins.scale(dst, block, 2 * c + 1);
                float m2 = dmin * KScaleMins.min(dst, block, 2 * c + 1);
                int base = srcOff + i + 64 * c;
                for (int l = 0; l < 32; l++) {
                    int lo = KScaleMins.quant(src[base + l], d1, m1, MAX_Q);
                    int hi = KScaleMins.quant(src[base + 32 + l], d2, m2, MAX_Q);
                    LittleEndian.putU8(dst, block + QS + 32L * c + l, (lo & 0xF) | (hi & 0xF) << 4);
                    int fifthBits = (lo >>> 4 | (hi >>> 4) << 1) << (2 * c);
                    LittleEndian.putU8(dst, block + QH + l, LittleEndian.u8(dst, block + QH + l) | fifthBits);
                }
            }
        }
    }
}
