package dev.gantry.gpu;

import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.compute.DeviceSelection;
import dev.gantry.engine.llama.LlamaModel;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.engine.tensor.GgmlType;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernels on a real GPU through JCuda: the same parity cases as the CUDA-on-CPU tests (same launches, same
 * bounds), plus the tensor-core product, plus greedy decoding of stories260K through the resident
 * {@link CudaForward} and through the engine with {@code gantry.device=cuda}, against the oracle; the engine
 * serves resident ({@link CudaBatchForward}) and runs the serving scenarios of {@link ResidentEngineCases}
 * (concurrent requests with shared prefixes, preemption by recompute and by swap, draft trees) against its CPU
 * answers. Skipped, with the reason, where no GPU is usable.
 */
class CudaOnGpuTest {

    /** The engine with {@code gantry.device=cuda}, found and opened as the service does. */
    private static final ResidentEngineCases.Opener CUDA = (model, options, registry) -> Engine.open(model,
            options.withDevice(DeviceSelection.parse("cuda")), registry);

    private static JCudaLauncher gpu;

    @BeforeAll
    static void open() {
        if (CudaProbe.result().usable()) {
            gpu = new JCudaLauncher(0);
        }
    }

    @BeforeEach
    void needsAGpu() {
        CudaProbe.Result probe = CudaProbe.result();
        Assumptions.assumeTrue(gpu != null, () -> "skipped: no usable GPU here ("
                + probe.unavailableReason().orElse("") + "); the kernels ran on the CPU harness instead");
    }

    @AfterAll
    static void close() {
        if (gpu != null) {
            gpu.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void productsMatchTheCpu(GgmlType type) {
        KernelParityCases.matvec(gpu, type, 45, 96, 1);
        KernelParityCases.matvec(gpu, type, 33, 64, 11);
        KernelParityCases.matmul(gpu, type, 45, 96, 37, false);
        KernelParityCases.matmul(gpu, type, 45, 96, 37, true);
        KernelParityCases.matvec(gpu, type, 2048, 2048, 1);
        KernelParityCases.matmul(gpu, type, 512, 2048, 300, true);
        KernelParityCases.embed(gpu, type);
    }

    @Test
    void elementwiseMatchesTheCpu() {
        KernelParityCases.rmsNorm(gpu);
        KernelParityCases.rope(gpu);
        KernelParityCases.swiglu(gpu);
        KernelParityCases.moves(gpu);
    }

    @Test
    void attentionMatchesDenseAttention() {
        KernelParityCases.pagedDecode(gpu, 512, 4, 2, 32, 5, 37, 300);
        KernelParityCases.pagedDecode(gpu, 64, 4, 2, 32, 5, 37, 300);
        KernelParityCases.pagedDecode(gpu, 256, 32, 4, 64, 2000, 17, 900);
        KernelParityCases.tree(gpu, 23, new int[] {-1, 0, 0, 1, 1, 2, 5}, 7, 4, 2, 32);
        KernelParityCases.tree(gpu, 300, null, 20, 4, 1, 32);
        KernelParityCases.tree(gpu, 1000, null, 512, 32, 4, 64);
    }

    @Test
    void samplingIsGreedy() {
        KernelParityCases.argmax(gpu);
        KernelParityCases.topK(gpu, 40);
    }

    @Test
    void residentForwardIsGreedyExact() throws Exception {
        JsonNode c = CudaForwardOnCudaCpuTest.oracleCase("Once upon a time");
        int[] prompt = CudaForwardOnCudaCpuTest.ints(c.get("prompt_tokens"));
        int[] want = CudaForwardOnCudaCpuTest.ints(c.get("generated_tokens"));
        try (LlamaModel model = LlamaModel.open(CudaForwardOnCudaCpuTest.shared("models/stories260K.gguf"))) {
            for (boolean tensorCores : new boolean[] {false, true}) {
                try (CudaForward forward = new CudaForward(model, gpu, 512, 4, 512, 16, tensorCores)) {
                    int[] got = forward.generateGreedy(prompt, want.length);
                    assertArrayEquals(want, got, "tensor cores " + tensorCores);
                }
            }
        }
    }

    @Test
    void residentTreeVerificationIsGreedyExact() throws Exception {
        CudaForwardOnCudaCpuTest.treeVerificationCase(gpu);
    }

    @Test
    void engineOnCudaIsGreedyExact() throws Exception {
        JsonNode c = CudaForwardOnCudaCpuTest.oracleCase("Once upon a time");
        int[] prompt = CudaForwardOnCudaCpuTest.ints(c.get("prompt_tokens"));
        int[] want = CudaForwardOnCudaCpuTest.ints(c.get("generated_tokens"));
        try (Engine engine = Engine.open(CudaForwardOnCudaCpuTest.shared("models/stories260K.gguf"),
                EngineOptions.defaults().withDevice(DeviceSelection.parse("cuda")))) {
            assertTrue(engine.forwardPath().startsWith("resident on cuda:"), engine.forwardPath());
            int[] got = engine.generate(new GenerationRequest(null, prompt,
                    SamplingParams.greedy(want.length), 0)).tokens();
            assertArrayEquals(want, Arrays.copyOf(got, want.length));
        }
    }

    @Test
    void residentEngineServesConcurrentRequestsWithSharedPrefixes() {
        ResidentEngineCases.concurrentRequestsWithSharedPrefixes(CUDA);
    }

    @Test
    void residentEngineKeepsEveryAnswerUnderPreemption() {
        ResidentEngineCases.preemption(CUDA, "recompute");
        ResidentEngineCases.preemption(CUDA, "swap");
    }

    @Test
    void residentEngineVerifiesDraftTreesGreedyExact() {
        ResidentEngineCases.treeSpeculation(CUDA);
    }
}
