package dev.gantry.tck.kv;

import dev.gantry.spi.kv.KvLayout;

import java.util.HashMap;
import java.util.Map;

/**
 * Copies the first keys and values the engine hands a codec, per layer, to be stored again in the kit's own
 * blocks: real post-RoPE keys with their outlier channels, not random numbers.
 */
final class KvCapture {

    private final int tokensPerLayer;
    private final Map<Integer, float[]> keys = new HashMap<>();
    private final Map<Integer, float[]> values = new HashMap<>();
    private final Map<Integer, int[]> positions = new HashMap<>();
    private final Map<Integer, Integer> counts = new HashMap<>();
    private final Map<Integer, Integer> kvDims = new HashMap<>();

    KvCapture(int tokensPerLayer) {
        this.tokensPerLayer = tokensPerLayer;
    }

    synchronized void record(KvLayout layout, int count, float[] k, int kOffset, float[] v, int vOffset, int[] pos,
                             int posOffset) {
        int layer = layout.layer();
        int kvDim = layout.kvDim();
        kvDims.putIfAbsent(layer, kvDim);
        float[] ks = keys.computeIfAbsent(layer, x -> new float[tokensPerLayer * kvDim]);
        float[] vs = values.computeIfAbsent(layer, x -> new float[tokensPerLayer * kvDim]);
        int[] ps = positions.computeIfAbsent(layer, x -> new int[tokensPerLayer]);
        int have = counts.getOrDefault(layer, 0);
        int take = Math.min(count, tokensPerLayer - have);
        if (take <= 0) {
            return;
        }
        System.arraycopy(k, kOffset, ks, have * kvDim, take * kvDim);
        System.arraycopy(v, vOffset, vs, have * kvDim, take * kvDim);
        System.arraycopy(pos, posOffset, ps, have, take);
        counts.put(layer, have + take);
    }

    /** Per layer, the captured tokens in whole blocks of {@code blockSize}. */
    synchronized Map<Integer, KvSamples> samples() {
        Map<Integer, KvSamples> out = new HashMap<>();
        counts.forEach((layer, n) -> {
            int whole = n - n % KVCodecKit.BLOCK_SIZE;
            if (whole > 0) {
                int kvDim = kvDims.get(layer);
                out.put(layer, new KvSamples("real layer-" + layer + " KV", whole, kvDim,
                        java.util.Arrays.copyOf(keys.get(layer), whole * kvDim),
                        java.util.Arrays.copyOf(values.get(layer), whole * kvDim),
                        java.util.Arrays.copyOf(positions.get(layer), whole)));
            }
        });
        return out;
    }
}
