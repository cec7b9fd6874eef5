package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * {@link GgmlType#Q6_K}: super-blocks of 256 elements in 210 bytes: 128 bytes {@code ql} (low four
 * bits), 64 bytes {@code qh} (high two bits), sixteen signed 8-bit scales (one per 16 elements), then
 * an f16 {@code d}. An element decodes as {@code (d*sc) * (q - 32)}, the product rounded to float
 * first, as ggml does.
 *
 * <p>The bits are interleaved per half of 128 elements ({@code ql} advancing 64 bytes and {@code qh}
 * 32 bytes per half). For {@code l < 32}, elements {@code l, l+32, l+64, l+96} take the low nibble of
 * {@code ql[l]}, the low nibble of {@code ql[l+32]}, the high nibble of {@code ql[l]} and the high
 * nibble of {@code ql[l+32]}, with bit pairs 0-1, 2-3, 4-5 and 6-7 of {@code qh[l]} above them.
 *
 * <p>Encoding follows the shape of ggml's reference quantiser without its weighted refinement: each
 * 16-element sub-block's scale maps its largest-magnitude value to {@code -32}; {@code d} is the
 * largest-magnitude scale over {@code -128}, and each scale is stored as the nearest multiple of the
 * f16-rounded {@code d} in {@code -128..127}; quants are then rounded against the stored scales and
 * clamped to {@code -32..31}. Blocks are valid and close to the input but not byte-identical to
 * llama.cpp's.
 */
final class Q6_KFormat implements TensorFormat {

    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 210;
    private static final int QH = 128;
    private static final int SCALES = 192;
    private static final int D = 208;
    private static final int SUB_BLOCK = 16;
    /** ggml's threshold below which a super-block is stored as all zeros. */
    private static final float ALL_ZERO = 1e-15f;

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    public void dequantize(MemorySegment data, long first, float[] dst, int dstOff, int n) {
        long block = ElementRange.startByte(GgmlType.Q6_K, first, n, dstOff, dst.length);
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            float d = LittleEndian.f16(data, block + D);
            for (int half = 0; half < 2; half++) {
                long ql = block + 64L * half;
                long qh = block + QH + 32L * half;
                long sc = block + SCALES + 8L * half;
                int base = dstOff + i + 128 * half;
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int lo = LittleEndian.u8(data, ql + l);
                    int hi = LittleEndian.u8(data, ql + l + 32);
                    int h = LittleEndian.u8(data, qh + l);
                    dst[base + l] = d * LittleEndian.i8(data, sc + is) * (((lo & 0xF) | (h & 3) << 4) - 32);
                    dst[base + l + 32] = d * LittleEndian.i8(data, sc + is + 2) * (((hi & 0xF) | (h >>> 2 & 3) << 4) - 32);
                    dst[base + l + 64] = d * LittleEndian.i8(data, sc + is + 4) * (((lo >>> 4) | (h >>> 4 & 3) << 4) - 32);
                    dst[base + l + 96] = d * LittleEndian.i8(data, sc + is + 6) * (((hi >>> 4) | (h >>> 6) << 4) - 32);
                }
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long block = ElementRange.startByte(GgmlType.Q6_K, first, n, xOff, x.length);
        float sum = 0f;
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            float d = LittleEndian.f16(data, block + D);
            float blockSum = 0f;
            for (int half = 0; half < 2; half++) {
                long ql = block + 64L * half;
                long qh = block + QH + 32L * half;
                long sc = block + SCALES + 8L * half;
                int base = xOff + i + 128 * half;
                // Each 16 values of l touch four sub-blocks (one per quarter); sum q*x per sub-block first.
                for (int is = 0; is < 2; is++) {
                    float s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f;
                    for (int l = 16 * is; l < 16 * is + 16; l++) {
                        int lo = LittleEndian.u8(data, ql + l);
                        int hi = LittleEndian.u8(data, ql + l + 32);
                        int h = LittleEndian.u8(data, qh + l);
                        s1 += (((lo & 0xF) | (h & 3) << 4) - 32) * x[base + l];
                        s2 += (((hi & 0xF) | (h >>> 2 & 3) << 4) - 32) * x[base + l + 32];
                        s3 += (((lo >>> 4) | (h >>> 4 & 3) << 4) - 32) * x[base + l + 64];
                        s4 += (((hi >>> 4) | (h >>> 6) << 4) - 32) * x[base + l + 96];
                    }
                    blockSum += d * LittleEndian.i8(data, sc + is) * s1
                            + d * LittleEndian.i8(data, sc + is + 2) * s2
                            + d * LittleEndian.i8(data, sc + is + 4) * s3
                            + d * LittleEndian.i8(data, sc + is + 6) * s4;
                }
            }
            sum += blockSum;
        }
        return sum;
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        ElementRange.checkWholeBlocks(GgmlType.Q6_K, n, srcOff, src.length);
        long block = dstByteOffset;
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            quantizeBlock(src, srcOff + i, dst, block);
        }
    }

    private static void quantizeBlock(float[] src, int off, MemorySegment dst, long block) {
        float maxScale = 0f;
        for (int s = 0; s < BLOCK / SUB_BLOCK; s++) {
            float scale = subScale(src, off + s * SUB_BLOCK);
            if (Math.abs(scale) > Math.abs(maxScale)) {
                maxScale = scale;
            }
        }
        if (Math.abs(maxScale) < ALL_ZERO) {
            for (int b = 0; b < BLOCK_BYTES; b++) {
                LittleEndian.putU8(dst, block + b, 0);
            }
            return;
        }
        LittleEndian.putF16(dst, block + D, maxScale / -128f);
        // Scales are rounded against d as stored: for typical weights d is an f16 subnormal, coarse enough
        // that rounding against the exact value would skew every scale the same way.
        float d = LittleEndian.f16(dst, block + D);
        for (int s = 0; s < BLOCK / SUB_BLOCK; s++) {
            int sc = d == 0f ? 0 : (int) Math.rint(subScale(src, off + s * SUB_BLOCK) / d);
            LittleEndian.putU8(dst, block + SCALES + s, Math.max(-128, Math.min(127, sc)));
        }
        for (int half = 0; half < 2; half++) {
            for (int l = 0; l < 32; l++) {
                int e = 128 * half + l;
                int q1 = quant(src, off, e, d, dst, block);
                int q2 = quant(src, off, e + 32, d, dst, block);
                int q3 = quant(src, off, e + 64, d, dst, block);
                int q4 = quant(src, off, e + 96, d, dst, block);
                LittleEndian.putU8(dst, block + 64L * half + l, (q1 & 0xF) | (q3 & 0xF) << 4);
                LittleEndian.putU8(dst, block + 64L * half + l + 32, (q2 & 0xF) | (q4 & 0xF) << 4);
                LittleEndian.putU8(dst, block + QH + 32L * half + l,
                        q1 >>> 4 | (q2 >>> 4) << 2 | (q3 >>> 4) << 4 | (q4 >>> 4) << 6);
            }
        }
    }

    /** The stored quant ({@code 0..63}, i.e. offset by 32) for element {@code e} of the super-block. */
    private static int quant(float[] src, int off, int e, float d, MemorySegment dst, long block) {
        float scale = d * LittleEndian.i8(dst, block + SCALES + e / SUB_BLOCK);
        if (scale == 0f) {
            return 32;
        }
        int q = (int) Math.rint(src[off + e] / scale);
        return Math.max(-32, Math.min(31, q)) + 32;
    }

    /** The scale that maps the sub-block's largest-magnitude value to -32. */
    private static float subScale(float[] src, int off) {
        float amax = 0f;
        float max = 0f;
        for (int i = 0; i < SUB_BLOCK; i++) {
            float v = src[off + i];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        return max / -32f;
    }
}
