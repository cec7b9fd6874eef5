package dev.gantry.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Every block scale of a Q4_0 or Q8_0 tensor, widened once from half precision to a float. A block of these
 * formats starts with its scale as a half; a kernel that reads it there pays a load, a conversion and a broadcast
 * per block and row, on the vector ports that also unpack the elements. Read from this table, a scale is one
 * broadcast from memory, which the load ports do alone. The quantised elements are still read from the memory map;
 * the table costs four bytes per 32 elements: 22 % of a Q4_0 tensor's bytes, 12 % of a Q8_0 tensor's.
 *
 * <p>The CPU's one-token products use it for Q4_0, whose kernel is bound by its vector ports. Q8_0's kernel waits
 * on memory more: with the table, its decode lost 2 of 3 alternating pairs on TinyLlama-shaped weights (the table's
 * extra bytes cost more than the conversions saved), so Q8_0 reads its scales in place.
 *
 * <p>The values equal {@link Float#float16ToFloat} of each stored half, infinities, NaNs and subnormals included,
 * so a kernel reading them computes exactly what it computes from the halves in place. Immutable once built.
 */
public final class BlockScales {

    private final GgmlType type;
    private final float[] values;

    private BlockScales(GgmlType type, float[] values) {
        this.type = type;
        this.values = values;
    }

    /** Widens every block scale of {@code tensor}, a Q4_0 or Q8_0 tensor. */
    public static BlockScales of(Tensor tensor) {
        return of(tensor.type(), tensor.data());
    }

    /**
     * Widens every block scale of {@code data}, the whole encoded tensor of type {@code type} (Q4_0 or Q8_0).
     *
     * @throws IllegalArgumentException for another type, or a tensor of more than {@code 2^31 - 1} blocks
     */
    public static BlockScales of(GgmlType type, MemorySegment data) {
        if (type != GgmlType.Q4_0 && type != GgmlType.Q8_0) {
            throw new IllegalArgumentException("block scales are widened for Q4_0 and Q8_0 tensors only, not " + type);
        }
        long blocks = data.byteSize() / type.blockBytes();
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a " + type + " tensor of " + blocks + " blocks is too large for a "
                    + "block scale table (at most " + Integer.MAX_VALUE + ")");
        }
        float[] values = new float[(int) blocks];
        for (int b = 0; b < values.length; b++) {
            values[b] = LittleEndian.f16(data, (long) b * type.blockBytes());
        }
        return new BlockScales(type, values);
    }

    /** The type whose scales these are. */
    public GgmlType type() {
        return type;
    }

    /** Blocks in the tensor: one scale each. */
    public int blocks() {
        return values.length;
    }

    /** The scale of block {@code block} (elements {@code 32·block ..}), widened. */
    public float scale(int block) {
        return values[block];
    }

    /** The bytes the table holds. */
    public long byteSize() {
        return 4L * values.length;
    }

    /**
     * Checks that this is the table of {@code data}, a {@code type} tensor: same type, one scale per block.
     *
     * @throws IllegalArgumentException naming both when it is not
     */
    public void requireOf(GgmlType type, MemorySegment data) {
        // A multiplication, not a division: kernels call this once per call of a few rows.
        if (this.type != type || (long) values.length * type.blockBytes() != data.byteSize()) {
            throw new IllegalArgumentException("block scales of a " + this.type + " tensor of " + values.length
                    + " blocks given for " + type + " data of " + data.byteSize() / type.blockBytes() + " blocks");
        }
    }

    /** The table itself, for kernels in this package: block {@code b}'s scale at index {@code b}. */
    float[] values() {
        return values;
    }
}
