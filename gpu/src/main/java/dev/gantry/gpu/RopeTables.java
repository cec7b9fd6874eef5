package dev.gantry.gpu;

/**
 * The cosine and sine tables the RoPE kernel reads, [position][pair], computed exactly as the engine's
 * {@link dev.gantry.engine.llama.RopeTable} computes them per token (angle in double, then rounded to float), so
 * that the GPU rotates by the same floats as the CPU.
 *
 * @param cos   {@code positions × pairs} cosines
 * @param sin   {@code positions × pairs} sines
 * @param pairs rotated pairs per head ({@code ropeDims / 2})
 */
public record RopeTables(float[] cos, float[] sin, int pairs) {

    /** Tables for positions {@code [0, positions)}. */
    public static RopeTables of(int positions, int ropeDims, float base, float[] freqFactors) {
        int pairs = ropeDims / 2;
        double[] inverse = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            double f = Math.pow(base, -2.0 * i / ropeDims);
            inverse[i] = freqFactors == null ? f : f / freqFactors[i];
        }
        float[] cos = new float[positions * pairs];
        float[] sin = new float[positions * pairs];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < pairs; i++) {
                double theta = p * inverse[i];
                cos[p * pairs + i] = (float) Math.cos(theta);
                sin[p * pairs + i] = (float) Math.sin(theta);
            }
        }
        return new RopeTables(cos, sin, pairs);
    }
}
