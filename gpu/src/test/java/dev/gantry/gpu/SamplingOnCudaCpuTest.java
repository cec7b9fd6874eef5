package dev.gantry.gpu;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sampling.cu run on the CPU: argmax and top-k must rank exactly as the engine's greedy rule does (highest
 * value first, the lowest id on ties, NaN never chosen), including rows with ties at the maximum and infinities.
 */
class SamplingOnCudaCpuTest {

    private static HarnessLauncher gpu;

    @BeforeAll
    static void build() {
        gpu = CudaCpuHarness.launcher(KernelFamily.SAMPLING);
    }

    @AfterAll
    static void close() {
        if (gpu != null) {
            gpu.close();
        }
    }

    @Test
    void argmaxIsGreedy() {
        KernelParityCases.argmax(gpu);
    }

    @Test
    void topKRanksAsTheEngine() {
        KernelParityCases.topK(gpu, 1);
        KernelParityCases.topK(gpu, 40);
    }
}
