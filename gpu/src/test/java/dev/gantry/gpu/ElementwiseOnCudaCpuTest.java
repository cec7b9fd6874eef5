package dev.gantry.gpu;

import dev.gantry.engine.tensor.GgmlType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * elementwise.cu run on the CPU: RMSNorm and SwiGLU against the engine's CpuDevice (relative 1e-5), RoPE
 * against the engine's RopeTable with Llama 3 frequency factors and partial rotation (relative 2e-6),
 * embeddings against the engine's decoding and the data moves (residual add, KV writes, gathers, copies)
 * exactly.
 */
class ElementwiseOnCudaCpuTest {

    private static HarnessLauncher gpu;

    @BeforeAll
    static void build() {
        gpu = CudaCpuHarness.launcher(KernelFamily.ELEMENTWISE);
    }

    @AfterAll
    static void close() {
        if (gpu != null) {
            gpu.close();
        }
    }

    @Test
    void rmsNormMatchesTheCpu() {
        KernelParityCases.rmsNorm(gpu);
    }

    @Test
    void ropeMatchesTheEngine() {
        KernelParityCases.rope(gpu);
    }

    @Test
    void swigluMatchesTheCpu() {
        KernelParityCases.swiglu(gpu);
    }

    @Test
    void dataMovesAreExact() {
        KernelParityCases.moves(gpu);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void embeddingsDecodeExactly(GgmlType type) {
        KernelParityCases.embed(gpu, type);
    }
}
