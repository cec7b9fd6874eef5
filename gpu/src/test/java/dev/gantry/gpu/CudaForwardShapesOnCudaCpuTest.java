package dev.gantry.gpu;

import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.compute.DeviceSelection;
import dev.gantry.engine.llama.LlamaModel;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.engine.synth.ModelShape;
import dev.gantry.engine.synth.ModelShapes;
import dev.gantry.engine.synth.SyntheticModelWriter;
import dev.gantry.engine.tensor.GgmlType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The resident GPU forward pass on the CPU harness against the engine's CPU forward pass, greedy, on synthetic
 * models of shapes and weight types stories260K does not have: grouped-query heads of 16, Q4_0, F16 and BF16
 * weights, tied embeddings (the LM head reads the embedding table), Llama 3 frequency factors. The prompt is
 * long enough for a tiled-product prefill chunk followed by a short one.
 */
class CudaForwardShapesOnCudaCpuTest {

    static Stream<Arguments> models() {
        ModelShape tiny = ModelShapes.TINY;
        return Stream.of(
                Arguments.of(tiny.withWeightType(GgmlType.Q4_0).withTiedEmbeddings(true).withName("tiny-q4_0-tied")),
                Arguments.of(tiny.withWeightType(GgmlType.F16).withLlama3RopeScaling(true).withName("tiny-f16-llama3")),
                Arguments.of(tiny.withWeightType(GgmlType.BF16).withName("tiny-bf16")));
    }

    @ParameterizedTest
    @MethodSource("models")
    void greedyTokensMatchTheEnginesCpuPath(ModelShape shape, @TempDir Path dir) {
        Path file = dir.resolve(shape.name() + ".gguf");
        SyntheticModelWriter.write(shape, 7, file);
        int[] prompt = new int[30];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = 3 + (i * 37) % (shape.vocabSize() - 3);
        }
        int count = 10;
        int[] want;
        EngineOptions cpu = EngineOptions.defaults().withThreads(1).withDevice(DeviceSelection.parse("cpu"));
        try (Engine engine = Engine.open(file, cpu)) {
            want = engine.generate(new GenerationRequest(null, prompt, SamplingParams.builder().temperature(0f)
                    .maxTokens(count).ignoreEos(true).build(), 0)).tokens();
        }
        try (LlamaModel model = LlamaModel.open(file);
             HarnessLauncher gpu = CudaCpuHarness.launcherForAll();
             CudaForward forward = new CudaForward(model, gpu, 24, 1, 64, 16, false)) {
            int[] got = forward.generateGreedy(prompt, count);
            assertArrayEquals(want, Arrays.copyOf(got, want.length), shape.name());
        }
    }
}
