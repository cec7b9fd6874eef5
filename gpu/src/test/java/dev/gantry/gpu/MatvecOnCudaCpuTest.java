package dev.gantry.gpu;

import dev.gantry.engine.tensor.GgmlType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * matvec.cu run on the CPU (CUDA-on-CPU harness) against the engine's CPU product, for every weight type the
 * kernels read. 45 rows (not a whole number of 4-row blocks); 1, 3 and 11 tokens (the last over two token
 * blocks of 8). Bound: {@link KernelParityCases#SUM_ORDER}.
 */
class MatvecOnCudaCpuTest {

    private static HarnessLauncher gpu;

    @BeforeAll
    static void build() {
        gpu = CudaCpuHarness.launcher(KernelFamily.MATVEC);
    }

    @AfterAll
    static void close() {
        if (gpu != null) {
            gpu.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void decodeProductsMatchTheCpu(GgmlType type) {
        KernelParityCases.matvec(gpu, type, 45, 96, 1);
        KernelParityCases.matvec(gpu, type, 45, 96, 3);
        KernelParityCases.matvec(gpu, type, 33, 64, 11);
    }
}
