package dev.gantry.engine.llama;

import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.gguf.GgufMetadata;
import dev.gantry.engine.gguf.GgufWriter;
import dev.gantry.engine.plugin.PluginSelection;
import dev.gantry.engine.synth.ModelShape;
import dev.gantry.engine.synth.SyntheticModelWriter;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.testing.ForwardHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model whose tensors use every supported type at once — as llama.cpp's quantised files do (a "Q4_0" file
 * keeps its output matrix in Q6_K) — loads and computes logits close to the same weights in F32.
 */
class MixedTensorTypesTest {

    @TempDir
    Path dir;

    static final Map<String, GgmlType> TYPES = Map.of(
            "token_embd.weight", GgmlType.BF16,
            "output.weight", GgmlType.Q6_K,
            "attn_q.weight", GgmlType.Q4_0,
            "attn_k.weight", GgmlType.Q8_0,
            "attn_v.weight", GgmlType.Q5_K,
            "attn_output.weight", GgmlType.F16,
            "ffn_gate.weight", GgmlType.Q4_K,
            "ffn_up.weight", GgmlType.Q6_K,
            "ffn_down.weight", GgmlType.Q5_K);

    @Test
    void everyTypeInOneFileGivesLogitsCloseToF32() {
        ModelShape shape = new ModelShape("mixed", 256, 2, 4, 2, 512, 400, 128, 10000f, 1e-5f, false, GgmlType.F32,
                false);
        Path f32 = dir.resolve("f32.gguf");
        Path mixed = dir.resolve("mixed.gguf");
        SyntheticModelWriter.write(shape, 5, f32);
        requantise(f32, mixed);

        try (GgufFile g = GgufFile.open(mixed)) {
            TYPES.forEach((suffix, type) -> g.tensorInfos().stream().filter(t -> matches(t.name(), suffix))
                    .forEach(t -> assertEquals(type, t.type().orElseThrow(), t.name())));
        }
        int[] tokens = new SplittableRandom(8).ints(10, 3, 400).toArray();
        float[] reference;
        float[] quantised;
        try (LlamaModel m = LlamaModel.open(f32); ForwardHarness h = new ForwardHarness(m, PluginSelection.defaults(),
                2, 10)) {
            reference = h.newSequence().feed(tokens, 0, 10);
        }
        try (LlamaModel m = LlamaModel.open(mixed); ForwardHarness h = new ForwardHarness(m,
                PluginSelection.defaults(), 2, 10)) {
            quantised = h.newSequence().feed(tokens, 0, 10);
        }
        double err = 0, norm = 0;
        for (int i = 0; i < reference.length; i++) {
            err += (reference[i] - quantised[i]) * (reference[i] - quantised[i]);
            norm += reference[i] * reference[i];
        }
        double relative = Math.sqrt(err / norm);
        // 4- to 6-bit weights move the logits by a few percent; a mis-decoded type moves them by ~100%.
        assertTrue(relative < 0.15, "relative logit error " + relative);
        assertTrue(relative > 0, "quantisation must change something");
    }

    static boolean matches(String name, String suffix) {
        return name.equals(suffix) || name.endsWith("." + suffix);
    }

    /** Copies a model, re-encoding each matrix in the type {@link #TYPES} gives it. */
    static void requantise(Path from, Path to) {
        try (GgufFile in = GgufFile.open(from)) {
            GgufWriter out = new GgufWriter();
            GgufMetadata md = in.metadata();
            md.entries().forEach((k, e) -> out.put(k, e.type(), e.value()));
            in.tensorInfos().forEach(info -> {
                Tensor t = in.requireTensor(info.name());
                GgmlType type = TYPES.entrySet().stream().filter(e -> matches(info.name(), e.getKey()))
                        .map(Map.Entry::getValue).findFirst().orElse(GgmlType.F32);
                out.addTensor(info.name(), type, info.shape(), t.toFloatArray());
            });
            out.write(to);
        }
    }
}
