package dev.gantry.gpu;

import dev.gantry.engine.tensor.GgmlType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * matmul.cu's plain tiled kernel, matmul_tiled, run on the CPU against the engine's CPU product (its panel path,
 * n > 1), with edges in every direction (45 rows, 37 tokens, 96 or 70 columns). The tensor-core kernel,
 * matmul_tc, cannot run here (HIP-CPU has no tensor cores): the build compiles it to PTX for sm_80 and sm_90,
 * {@link KernelSignatureTest} checks its arguments, and the GPU tests run it; this plain twin, with the same
 * tiles and arguments, is what runs here. Bound: {@link KernelParityCases#SUM_ORDER}.
 */
class MatmulOnCudaCpuTest {

    private static HarnessLauncher gpu;

    @BeforeAll
    static void build() {
        gpu = CudaCpuHarness.launcher(KernelFamily.MATMUL);
    }

    @AfterAll
    static void close() {
        if (gpu != null) {
            gpu.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void prefillProductsMatchTheCpu(GgmlType type) {
        int cols = type == GgmlType.Q8_0 || type == GgmlType.Q4_0 ? 96 : 70;
        KernelParityCases.matmul(gpu, type, 45, cols, 37, false);
    }
}
