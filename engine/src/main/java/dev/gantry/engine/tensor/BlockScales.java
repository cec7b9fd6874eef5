package dev.gantry.engine.tensor;

import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Reads the half-precision scale at the start of a Q8_0 or Q4_0 block for the vector kernels. It uses a short
 * vector load rather than a scalar segment access ({@link LittleEndian#f16}): inside the batched product's panel
 * decoding the JIT does not inline the scalar access's bounds check, and the call it leaves per block took a fifth
 * of a batched decode step. Only for the vector formats: it needs the Vector API, which the scalar twins must not.
 */
final class BlockScales {

    /** The narrowest short vector: the scale and the first bytes of the block's quants (every block is longer). */
    private static final VectorSpecies<Short> SPECIES = ShortVector.SPECIES_64;

    private BlockScales() {
    }

    /** The scale stored at byte {@code block} of {@code data}, widened exactly. */
    static float at(MemorySegment data, long block) {
        return Float.float16ToFloat(ShortVector.fromMemorySegment(SPECIES, data, block, ByteOrder.LITTLE_ENDIAN)
                .lane(0));
    }
}
