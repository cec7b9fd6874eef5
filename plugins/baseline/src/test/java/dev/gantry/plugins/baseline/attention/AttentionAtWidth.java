package dev.gantry.plugins.baseline.attention;

/**
 * Runs the dense-attention checks in this JVM, whose width {@code -Dgantry.vector=…} chose. Started in a child
 * JVM by {@link DenseAttentionVectorWidthTest}, since the width is fixed once per JVM; prints which kernels ran
 * and exits 0 when every check passed, non-zero (with the failure on stderr) otherwise.
 */
final class AttentionAtWidth {

    private AttentionAtWidth() {
    }

    public static void main(String[] args) {
        new DenseAttentionWideHeadsTest().matchesTextbookAttentionAcrossChunks();
        System.out.println("attention ok: " + (DenseAttention.VECTOR ? "vector" : "scalar"));
    }
}
