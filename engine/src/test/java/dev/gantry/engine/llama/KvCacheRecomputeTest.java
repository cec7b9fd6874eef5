package dev.gantry.engine.llama;

import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginSelection;
import dev.gantry.engine.synth.ModelShape;
import dev.gantry.engine.synth.SyntheticModelWriter;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.testing.ForwardHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decoding with the KV cache gives the same logits as recomputing the whole sequence from scratch, for
 * grouped-query ratios 1, 2 and 4, odd feed-forward and vocabulary sizes, tied embeddings, several weight
 * types, and prefill in uneven chunks.
 */
class KvCacheRecomputeTest {

    @TempDir
    static Path dir;

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(new ModelShape("gqa1-odd", 48, 2, 4, 4, 97, 331, 128, 10000f, 1e-5f, false,
                        GgmlType.F32, false)),
                Arguments.of(new ModelShape("gqa2-odd", 60, 3, 6, 3, 131, 333, 128, 10000f, 1e-5f, true,
                        GgmlType.F16, false)),
                Arguments.of(new ModelShape("gqa4", 64, 2, 8, 2, 96, 320, 128, 500000f, 1e-6f, false,
                        GgmlType.Q8_0, true)),
                Arguments.of(new ModelShape("gqa4-q4k", 256, 1, 8, 2, 512, 317, 128, 10000f, 1e-5f, false,
                        GgmlType.Q4_K, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void cachedDecodingEqualsFullRecomputation(ModelShape shape) {
        Path file = dir.resolve(shape.name() + ".gguf");
        SyntheticModelWriter.write(shape, 7, file);
        int length = 21;
        int[] tokens = new SplittableRandom(3).ints(length, 3, shape.vocabSize()).toArray();
        try (LlamaModel model = LlamaModel.open(file);
             ForwardHarness h = new ForwardHarness(model, PluginSelection.defaults(), 2, length)) {
            // Cached: a 5-token chunk, a 3-token chunk, then one token at a time.
            ForwardHarness.Sequence cached = h.newSequence();
            float[][] cachedLogits = new float[length + 1][];
            cachedLogits[5] = cached.feed(tokens, 0, 5);
            cachedLogits[8] = cached.feed(tokens, 5, 3);
            for (int i = 8; i < length; i++) {
                cachedLogits[i + 1] = cached.feed(tokens, i, 1);
            }
            for (int end = 5; end <= length; end++) {
                if (cachedLogits[end] == null) {
                    continue;
                }
                ForwardHarness.Sequence fresh = h.newSequence();
                float[] full = fresh.feed(tokens, 0, end);
                fresh.release();
                assertClose(full, cachedLogits[end], shape.name() + " after " + end + " tokens");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void halfPrecisionKvStaysCloseToFullPrecision(ModelShape shape) {
        Path file = dir.resolve(shape.name() + "-f16kv.gguf");
        SyntheticModelWriter.write(shape, 9, file);
        int[] tokens = new SplittableRandom(5).ints(12, 3, shape.vocabSize()).toArray();
        try (LlamaModel model = LlamaModel.open(file);
             ForwardHarness f32 = new ForwardHarness(model, PluginSelection.defaults(), 1, 12);
             ForwardHarness f16 = new ForwardHarness(model,
                     PluginSelection.defaults().with(ExtensionPoint.KV_CODEC, "f16"), 1, 12)) {
            float[] a = f32.newSequence().feed(tokens, 0, 12);
            float[] b = f16.newSequence().feed(tokens, 0, 12);
            double maxDiff = 0;
            double scale = 0;
            for (int i = 0; i < a.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
                scale = Math.max(scale, Math.abs(a[i]));
            }
            // Half precision keeps ~3 decimal digits; the logits may move, but only slightly.
            assertTrue(maxDiff <= 1e-2 * Math.max(1, scale), "max logit difference " + maxDiff + " at scale " + scale);
            assertTrue(maxDiff > 0, "f16 storage should not be bit-identical to f32 on random weights");
        }
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        double scale = 1;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[i]);
            if (diff > 2e-4 * scale) {
                throw new AssertionError(what + ": logit " + i + " is " + actual[i] + " cached but " + expected[i]
                        + " recomputed");
            }
        }
    }
}
