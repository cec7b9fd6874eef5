package dev.gantry.engine.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * {@link Q4_0Format} with the Vector API. One load of a block's 16 packed bytes yields its two runs of elements:
 * the low nibbles are elements {@code 0..15}, the high nibbles {@code 16..31}. Each is widened to an int as it
 * is, 0..15; {@link #dequantize} then subtracts the offset of 8 from each, the dot products from each block's sum
 * (see the note above {@link #dot}). Its scalar twin is {@link Q4_0Format}; decoding equals it bit for bit, the
 * dot products agree up to float rounding.
 */
final class Q4_0VectorFormat extends Block32VectorFormat {

    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.BITS));
    private static final int LANES = F.length();
    private static final VectorSpecies<Integer> I = F.vectorShape().withLanes(int.class);
    private static final int LOW_NIBBLE = 0xF;
    private static final int OFFSET = 8;
    private static final float MINUS_OFFSET = -OFFSET;
    /** A block's 16 packed bytes, loaded at once. */
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    /** Float vectors per 16 elements: 1 with 512-bit vectors, 2 with 256-bit, 4 with 128-bit. */
    private static final int PARTS = 16 / LANES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private static final int BLOCK = 32;
    private static final int HALF = 16;
    private static final int BLOCK_BYTES = 18;
    private static final int QS = 2;

    private final Q4_0Format scalar = new Q4_0Format();

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    void decodeBlocks(MemorySegment data, long block, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, LittleEndian.f16(data, block));
            ByteVector q = ByteVector.fromMemorySegment(B, data, block + QS, LE);
            int base = dstOff + i;
            for (int p = 0; p < PARTS; p++) {
                IntVector w = (IntVector) q.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                ((FloatVector) w.and(LOW_NIBBLE).sub(OFFSET).convert(VectorOperators.I2F, 0)).mul(d)
                        .intoArray(dst, base + p * LANES);
                ((FloatVector) w.lanewise(VectorOperators.LSHR, 4).sub(OFFSET).convert(VectorOperators.I2F, 0)).mul(d)
                        .intoArray(dst, base + HALF + p * LANES);
            }
        }
    }

    /*
     * dot and dot4 take the nibbles as they are, 0..15, and fold the offset of 8 into the block's sums instead:
     * sum (q - 8) x = sum q x - 8 sum x. Each block's sums start from -8 (x_lo + x_hi) lane by lane, shared by the
     * rows of dot4, so a nibble costs a zero extension (one per 16 bytes), a mask or a shift, a conversion and a
     * multiply-add: about two thirds of the instructions that decoding the signed value takes. Straight-line code
     * matters here: with loops inside the block loop the JIT's graph for dot4 grew past its inlining limit and left
     * calls inside the loop. dot4 reads its block scales from a BlockScales table, one broadcast from memory each:
     * widening the half in place (a load, a conversion and a broadcast) took about a fifth of the loop's work on
     * the vector ports.
     */

    @Override
    public float dot(MemorySegment data, long first, float[] x, int xOff, int n) {
        long block = ElementRange.startByte32(GgmlType.Q4_0, first, n, xOff, x.length);
        // All in this method: a vector returned by a helper the JIT declined to inline would be boxed on every call.
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < n; i += BLOCK, block += BLOCK_BYTES) {
            ByteVector q = ByteVector.fromMemorySegment(B, data, block + QS, LE);
            int e = xOff + i;
            FloatVector s = FloatVector.zero(F);
            for (int p = 0; p < PARTS; p++) {
                int ep = e + p * LANES;
                FloatVector xLo = FloatVector.fromArray(F, x, ep);
                FloatVector xHi = FloatVector.fromArray(F, x, ep + HALF);
                IntVector w = (IntVector) q.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                s = s.add(xLo.add(xHi).mul(MINUS_OFFSET));
                s = ((FloatVector) w.and(LOW_NIBBLE).convert(VectorOperators.I2F, 0)).fma(xLo, s);
                s = ((FloatVector) w.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(xHi, s);
            }
            acc = s.fma(FloatVector.broadcast(F, LittleEndian.f16(data, block)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public boolean readsBlockScales() {
        return true;
    }

    /**
     * {@link #dot} of four rows in one loop, each row's products and sums taken as {@link #dot} takes them, the
     * block scales read from {@code scales}. Without a table the rows are taken one by one.
     */
    @Override
    public void dot4(MemorySegment data, BlockScales scales, long first, long stride, float[] x, int xOff, int n,
                     float[] out, int outOff, int outStride) {
        if (scales == null) {
            dot4(data, first, stride, x, xOff, n, out, outOff, outStride);
            return;
        }
        scales.requireOf(GgmlType.Q4_0, data);
        long a = ElementRange.startByte32(GgmlType.Q4_0, first, n, xOff, x.length);
        long b = ElementRange.startByte32(GgmlType.Q4_0, first + stride, n, xOff, x.length);
        long c = ElementRange.startByte32(GgmlType.Q4_0, first + 2 * stride, n, xOff, x.length);
        long d = ElementRange.startByte32(GgmlType.Q4_0, first + 3 * stride, n, xOff, x.length);
        float[] scale = scales.values();
        // Block indices of the four rows' current blocks (rows and their blocks fit an int: BlockScales checks).
        int sa = (int) (first / BLOCK);
        int sb = (int) ((first + stride) / BLOCK);
        int sc = (int) ((first + 2 * stride) / BLOCK);
        int sd = (int) ((first + 3 * stride) / BLOCK);
        FloatVector accA = FloatVector.zero(F);
        FloatVector accB = FloatVector.zero(F);
        FloatVector accC = FloatVector.zero(F);
        FloatVector accD = FloatVector.zero(F);
        for (int i = 0; i < n; i += BLOCK, a += BLOCK_BYTES, b += BLOCK_BYTES, c += BLOCK_BYTES, d += BLOCK_BYTES,
                sa++, sb++, sc++, sd++) {
            ByteVector qA = ByteVector.fromMemorySegment(B, data, a + QS, LE);
            ByteVector qB = ByteVector.fromMemorySegment(B, data, b + QS, LE);
            ByteVector qC = ByteVector.fromMemorySegment(B, data, c + QS, LE);
            ByteVector qD = ByteVector.fromMemorySegment(B, data, d + QS, LE);
            int e = xOff + i;
            FloatVector xLo = FloatVector.fromArray(F, x, e);
            FloatVector xHi = FloatVector.fromArray(F, x, e + HALF);
            FloatVector offset = xLo.add(xHi).mul(MINUS_OFFSET);
            IntVector wA = (IntVector) qA.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            IntVector wB = (IntVector) qB.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            IntVector wC = (IntVector) qC.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            IntVector wD = (IntVector) qD.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            FloatVector sA = ((FloatVector) wA.and(LOW_NIBBLE).convert(VectorOperators.I2F, 0)).fma(xLo, offset);
            FloatVector sB = ((FloatVector) wB.and(LOW_NIBBLE).convert(VectorOperators.I2F, 0)).fma(xLo, offset);
            FloatVector sC = ((FloatVector) wC.and(LOW_NIBBLE).convert(VectorOperators.I2F, 0)).fma(xLo, offset);
            FloatVector sD = ((FloatVector) wD.and(LOW_NIBBLE).convert(VectorOperators.I2F, 0)).fma(xLo, offset);
            sA = ((FloatVector) wA.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                    .fma(xHi, sA);
            sB = ((FloatVector) wB.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                    .fma(xHi, sB);
            sC = ((FloatVector) wC.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                    .fma(xHi, sC);
            sD = ((FloatVector) wD.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                    .fma(xHi, sD);
            for (int p = 1; p < PARTS; p++) {
                int ep = e + p * LANES;
                FloatVector xpLo = FloatVector.fromArray(F, x, ep);
                FloatVector xpHi = FloatVector.fromArray(F, x, ep + HALF);
                FloatVector offsetP = xpLo.add(xpHi).mul(MINUS_OFFSET);
                IntVector wpA = (IntVector) qA.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                IntVector wpB = (IntVector) qB.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                IntVector wpC = (IntVector) qC.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                IntVector wpD = (IntVector) qD.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, p);
                sA = ((FloatVector) wpA.and(LOW_NIBBLE).convert(VectorOperators.I2F, 0)).fma(xpLo, sA.add(offsetP));
                sB = ((FloatVector) wpB.and(LOW_NIBBLE).convert(VectorOperators.I2F, 0)).fma(xpLo, sB.add(offsetP));
                sC = ((FloatVector) wpC.and(LOW_NIBBLE).convert(VectorOperators.I2F, 0)).fma(xpLo, sC.add(offsetP));
                sD = ((FloatVector) wpD.and(LOW_NIBBLE).convert(VectorOperators.I2F, 0)).fma(xpLo, sD.add(offsetP));
                sA = ((FloatVector) wpA.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                        .fma(xpHi, sA);
                sB = ((FloatVector) wpB.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                        .fma(xpHi, sB);
                sC = ((FloatVector) wpC.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                        .fma(xpHi, sC);
                sD = ((FloatVector) wpD.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                        .fma(xpHi, sD);
            }
            accA = sA.fma(FloatVector.broadcast(F, scale[sa]), accA);
            accB = sB.fma(FloatVector.broadcast(F, scale[sb]), accB);
            accC = sC.fma(FloatVector.broadcast(F, scale[sc]), accC);
            accD = sD.fma(FloatVector.broadcast(F, scale[sd]), accD);
        }
        out[outOff] = accA.reduceLanes(VectorOperators.ADD);
        out[outOff + outStride] = accB.reduceLanes(VectorOperators.ADD);
        out[outOff + 2 * outStride] = accC.reduceLanes(VectorOperators.ADD);
        out[outOff + 3 * outStride] = accD.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void quantize(float[] src, int srcOff, int n, MemorySegment dst, long dstByteOffset) {
        scalar.quantize(src, srcOff, n, dst, dstByteOffset);
    }
}
