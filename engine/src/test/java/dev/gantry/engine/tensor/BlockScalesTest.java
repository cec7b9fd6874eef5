package dev.gantry.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BlockScalesTest {

    /**
     * Every half, as the scale of one block in turn, widens to the value the reference decoding gives: normals,
     * subnormals, both zeros and both infinities bit for bit, NaNs as NaNs. The other bytes of a block (its
     * elements) do not reach the table.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_0", "Q8_0"})
    void everyHalfWidensExactly(GgmlType type) {
        int blocks = 0x10000;
        MemorySegment data = MemorySegment.ofArray(new byte[blocks * type.blockBytes()]);
        for (int b = 0; b < blocks; b++) {
            long at = (long) b * type.blockBytes();
            data.set(LittleEndian.SHORT, at, (short) b);
            data.set(LittleEndian.SHORT, at + 2, (short) 0x7C00);
        }
        BlockScales scales = BlockScales.of(type, data);
        assertEquals(type, scales.type());
        assertEquals(blocks, scales.blocks());
        assertEquals(4L * blocks, scales.byteSize());
        for (int half = 0; half < blocks; half++) {
            float want = ReferenceHalf.value(half);
            float got = scales.scale(half);
            String what = type + " scale " + Integer.toHexString(half);
            if (Float.isNaN(want)) {
                assertTrue(Float.isNaN(got), what);
            } else {
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), what);
            }
        }
    }

    /** A table is built from a tensor's own data: its block count is the tensor's. */
    @Test
    void tableOfATensorHasOneScalePerBlock() {
        int rows = 3;
        int cols = 64;
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 7) - 3;
        }
        MemorySegment data = MemorySegment.ofArray(new byte[(int) GgmlType.Q4_0.bytesFor(values.length)]);
        TensorFormats.scalar(GgmlType.Q4_0).quantize(values, 0, values.length, data, 0);
        Tensor tensor = new Tensor("w", GgmlType.Q4_0, new long[] {cols, rows}, data);
        BlockScales scales = BlockScales.of(tensor);
        assertEquals(rows * cols / 32, scales.blocks());
        for (int b = 0; b < scales.blocks(); b++) {
            assertEquals(LittleEndian.f16(data, 18L * b), scales.scale(b));
        }
    }

    /** A table answers to its own data only: the same type, one scale per block. */
    @Test
    void aTableIsOnlyItsOwnDatas() {
        MemorySegment data = MemorySegment.ofArray(new byte[8 * 18]);
        BlockScales scales = BlockScales.of(GgmlType.Q4_0, data);
        scales.requireOf(GgmlType.Q4_0, data);
        IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class,
                () -> scales.requireOf(GgmlType.Q4_0, data.asSlice(0, 7 * 18)));
        assertTrue(shorter.getMessage().contains("Q4_0 tensor of 8 blocks given for Q4_0 data of 7 blocks"),
                shorter.getMessage());
        IllegalArgumentException otherType = assertThrows(IllegalArgumentException.class,
                () -> scales.requireOf(GgmlType.Q8_0, MemorySegment.ofArray(new byte[8 * 34])));
        assertTrue(otherType.getMessage().contains("given for Q8_0 data"), otherType.getMessage());
    }

    /** The Q4_0 kernel checks the table it is given before it reads it. */
    @Test
    void theQ4_0KernelRefusesATableOfOtherData() {
        TensorFormat format = TensorFormats.of(GgmlType.Q4_0);
        assumeTrue(format.readsBlockScales(), "the scalar twin (vector kernels off) takes no table");
        MemorySegment data = MemorySegment.ofArray(new byte[4 * 2 * 18]);
        BlockScales shorter = BlockScales.of(GgmlType.Q4_0, data.asSlice(0, 7 * 18));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> format.dot4(data, shorter, 0, 64, new float[64], 0, 64, new float[4], 0, 1));
        assertTrue(e.getMessage().contains("of 7 blocks given for Q4_0 data of 8 blocks"), e.getMessage());
    }

    @Test
    void formatsWithoutAHalfScaleFirstAreRefused() {
        for (GgmlType type : new GgmlType[] {GgmlType.F16, GgmlType.F32, GgmlType.Q4_K, GgmlType.Q6_K}) {
            MemorySegment data = MemorySegment.ofArray(new byte[(int) type.bytesFor(256)]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockScales.of(type, data));
            assertTrue(e.getMessage().contains(type.toString()), e.getMessage());
        }
    }
}
