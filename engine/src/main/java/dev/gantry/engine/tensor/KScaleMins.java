package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * The scales and mins of {@link GgmlType#Q4_K} and {@link GgmlType#Q5_K} super-blocks: an f16
 * {@code d} and {@code dmin}, then twelve bytes packing eight 6-bit scales and eight 6-bit mins, one
 * pair per 32-element sub-block. Sub-block {@code j} decodes as {@code (d*sc[j]) * q - dmin*m[j]}.
 *
 * <p>The packing is ggml's: for {@code j < 4}, {@code sc[j]} and {@code m[j]} are the low six bits of
 * bytes {@code j} and {@code j + 4}; for {@code j >= 4}, byte {@code j + 4} holds the low four bits of
 * {@code sc[j]} (low nibble) and {@code m[j]} (high nibble), and their top two bits sit in the spare
 * top bits of bytes {@code j - 4} and {@code j}.
 *
 * <p>The encoder is simpler than llama.cpp's weighted search ({@code make_qkx2_quants}): each
 * sub-block spans {@code [min(0, lowest), highest]} with {@code maxQ + 1} levels; {@code d} and
 * {@code dmin} are the largest step and offset over 63, and each sub-block's step and offset are
 * stored as the nearest multiple (0..63) of the f16-rounded {@code d} and {@code dmin}. Quants are then
 * rounded against the stored values and clamped, so the blocks decode close to the input.
 */
final class KScaleMins {

    /** Offset of {@code dmin} within the super-block. */
    static final int DMIN = 2;
    /** Offset of the twelve packed scale bytes within the super-block. */
    static final int SCALES = 4;

    private static final int SUB_BLOCKS = 8;
    private static final int SUB_BLOCK = 32;

    private KScaleMins() {
    }

    /** The 6-bit scale of sub-block {@code j} of the super-block at {@code block}. */
    static int scale(MemorySegment data, long block, int j) {
        long s = block + SCALES;
        if (j < 4) {
            return LittleEndian.u8(data, s + j) & 63;
        }
        return (LittleEndian.u8(data, s + j + 4) & 0xF) | (LittleEndian.u8(data, s + j - 4) >>> 6) << 4;
    }

    /** The 6-bit min of sub-block {@code j} of the super-block at {@code block}. */
    static int min(MemorySegment data, long block, int j) {
        long s = block + SCALES;
        if (j < 4) {
            return LittleEndian.u8(data, s + j + 4) & 63;
        }
        return (LittleEndian.u8(data, s + j + 4) >>> 4) | (LittleEndian.u8(data, s + j) >>> 6) << 4;
    }

    /**
     * Chooses and writes {@code d}, {@code dmin} and the packed scales for the 256 values
     * {@code src[srcOff..)}, whose quants will range over {@code 0..maxQ}.
     */
    static void encode(float[] src, int srcOff, int maxQ, MemorySegment dst, long block) {
        float maxScale = 0f;
        float maxMin = 0f;
        for (int j = 0; j < SUB_BLOCKS; j++) {
            int off = srcOff + j * SUB_BLOCK;
            maxScale = Math.max(maxScale, subScale(src, off, maxQ));
            maxMin = Math.max(maxMin, subMin(src, off));
        }
        LittleEndian.putF16(dst, block, maxScale / 63f);
        LittleEndian.putF16(dst, block + DMIN, maxMin / 63f);
        // Rounded against d and dmin as stored, so f16 rounding does not skew every sub-block alike.
        float d = LittleEndian.f16(dst, block);
        float dmin = LittleEndian.f16(dst, block + DMIN);

        long s = block + SCALES;
        for (int j = 0; j < SUB_BLOCKS; j++) {
            int off = srcOff + j * SUB_BLOCK;
            int sc = d > 0f ? Math.min(63, (int) Math.rint(subScale(src, off, maxQ) / d)) : 0;
            int m = dmin > 0f ? Math.min(63, (int) Math.rint(subMin(src, off) / dmin)) : 0;
            if (j < 4) {
                LittleEndian.putU8(dst, s + j, sc);
                LittleEndian.putU8(dst, s + j + 4, m);
            } else {
                // Bytes j-4 and j were written for j-4 above; their top two bits take this pair's high bits.
                LittleEndian.putU8(dst, s + j + 4, (sc & 0xF) | (m & 0xF) << 4);
                LittleEndian.putU8(dst, s + j - 4, LittleEndian.u8(dst, s + j - 4) | (sc >>> 4) << 6);
                LittleEndian.putU8(dst, s + j, LittleEndian.u8(dst, s + j) | (m >>> 4) << 6);
            }
        }
    }

    /**
     * The quant in {@code 0..maxQ} nearest to {@code x} for a sub-block decoding as
     * {@code scale * q - min}; zero when the scale is zero.
     */
    static int quant(float x, float scale, float min, int maxQ) {
        if (scale == 0f) {
            return 0;
        }
        int q = (int) Math.rint((x + min) / scale);
        return Math.max(0, Math.min(maxQ, q));
    }

    /** Step between levels needed to span the sub-block at {@code off}. */
    private static float subScale(float[] src, int off, int maxQ) {
        float lo = 0f;
        float hi = -Float.MAX_VALUE;
        for (int i = 0; i < SUB_BLOCK; i++) {
            lo = Math.min(lo, src[off + i]);
            hi = Math.max(hi, src[off + i]);
        }
        return (hi - lo) / maxQ;
    }

    /** The (non-negative) amount subtracted from every value of the sub-block at {@code off}. */
    private static float subMin(float[] src, int off) {
        float lo = 0f;
        for (int i = 0; i < SUB_BLOCK; i++) {
            lo = Math.min(lo, src[off + i]);
        }
        return -lo;
    }
}
