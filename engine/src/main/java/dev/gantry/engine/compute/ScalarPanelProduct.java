package dev.gantry.engine.compute;

/**
 * {@link PanelProduct} in plain Java: one dot product per row and token, summed in chunks of 32 as the scalar
 * tensor formats do. The twin that {@link VectorPanelProduct} is tested against, and the kernel used when the
 * Vector API is off.
 */
final class ScalarPanelProduct implements PanelProduct {

    private static final int CHUNK = 32;

    @Override
    public int partialSize(int panelRows, int n) {
        return 0;
    }

    /** Sums across column blocks are kept in {@code out} itself; {@code partial} is not used. */
    @Override
    public void multiply(float[] panel, int panelRows, int len, float[] x, int xStride, int xOffset, int n,
                         float[] out, int outRows, int row0, float[] partial, boolean first, boolean last) {
        for (int t = 0; t < n; t++) {
            int xBase = t * xStride + xOffset;
            for (int i = 0; i < panelRows; i++) {
                int wBase = i * len;
                float sum = 0f;
                for (int k = 0; k < len; k += CHUNK) {
                    int end = Math.min(len, k + CHUNK);
                    float blockSum = 0f;
                    for (int j = k; j < end; j++) {
                        blockSum += panel[wBase + j] * x[xBase + j];
                    }
                    sum += blockSum;
                }
                int o = t * outRows + row0 + i;
                out[o] = first ? sum : out[o] + sum;
            }
        }
    }
}
