package dev.gantry.engine.synth;

import dev.gantry.engine.tensor.GgmlType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The named model shapes tests, benchmarks and {@code gantry synth} refer to, from a model small enough
 * to run in a unit test to the shapes of real 1B-parameter models (so speed can be measured on realistic
 * matrix sizes with random weights).
 */
public final class ModelShapes {

    /** Small enough for any unit test: 2 layers, grouped-query attention, 320 tokens. */
    public static final ModelShape TINY = new ModelShape("tiny", 64, 2, 4, 2, 96, 320, 256,
            10000f, 1e-5f, false, GgmlType.F32, false);

    /** The shape of the trained stories260K model (note its feed-forward length, 172, is no block multiple). */
    public static final ModelShape STORIES_260K = new ModelShape("stories260k", 64, 5, 8, 4, 172, 512, 2048,
            10000f, 1e-5f, false, GgmlType.F32, false);

    /** The shape of the stories15M model (Llama 2 vocabulary size). */
    public static final ModelShape STORIES_15M = new ModelShape("stories15m", 288, 6, 6, 6, 768, 32000, 256,
            10000f, 1e-5f, false, GgmlType.F32, false);

    /** The shape of TinyLlama 1.1B, in Q8_0 (about 1.2 GB). */
    public static final ModelShape TINYLLAMA_1_1B = new ModelShape("tinyllama-1.1b", 2048, 22, 32, 4, 5632, 32000,
            2048, 10000f, 1e-5f, false, GgmlType.Q8_0, false);

    /**
     * Shaped like Llama 3.2 1B: 128k vocabulary, tied embeddings, RoPE base 500000 with Llama 3.1 frequency
     * scaling; in Q8_0 (about 1.3 GB). Its tokenizer is the synthetic SentencePiece one, not Llama 3's.
     */
    public static final ModelShape LLAMA3_1B = new ModelShape("llama3-1b", 2048, 16, 32, 8, 8192, 128256, 131072,
            500000f, 1e-5f, true, GgmlType.Q8_0, true);

    private static final Map<String, ModelShape> BY_NAME = byName(TINY, STORIES_260K, STORIES_15M, TINYLLAMA_1_1B,
            LLAMA3_1B);

    private ModelShapes() {
    }

    private static Map<String, ModelShape> byName(ModelShape... shapes) {
        Map<String, ModelShape> map = new LinkedHashMap<>();
        for (ModelShape s : shapes) {
            map.put(s.name(), s);
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * The shape with this name, ignoring case.
     *
     * @throws IllegalArgumentException for an unknown name; the message lists the known ones
     */
    public static ModelShape named(String name) {
        ModelShape shape = name == null ? null : BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (shape == null) {
            throw new IllegalArgumentException("unknown model shape \"" + name + "\"; known shapes: "
                    + String.join(", ", BY_NAME.keySet()));
        }
        return shape;
    }

    /** The known names, in order of size. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }
}
