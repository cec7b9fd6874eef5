package dev.gantry.engine.compute;

import dev.gantry.engine.tensor.FormatParityChecks;
import dev.gantry.engine.tensor.VectorWidth;

/**
 * Runs every vector-versus-scalar check in this JVM, whose width {@code -Dgantry.vector=…} chose. Started in a
 * child JVM by {@link VectorWidthParityTest}, since the width is fixed once per JVM; prints the width and exits
 * 0 when every check passed, non-zero (with the failure on stderr) otherwise.
 */
final class ParityAtWidth {

    private ParityAtWidth() {
    }

    public static void main(String[] args) {
        // Repeat so that the kernels are compiled by C2 (whose Vector API intrinsics are what production runs)
        // while the checks still run, not only interpreted. A width the machine lacks is emulated by the JVM in
        // plain Java, slowly and the same whether compiled or not: one round is enough there.
        boolean emulated = VectorWidth.BITS > jdk.incubator.vector.VectorShape.preferredShape().vectorBitSize();
        int rounds = emulated ? 1 : 3;
        for (int round = 0; round < rounds; round++) {
            FormatParityChecks.all();
            KernelParityChecks.all();
        }
        System.out.println("parity ok: " + VectorWidth.describe());
    }
}
