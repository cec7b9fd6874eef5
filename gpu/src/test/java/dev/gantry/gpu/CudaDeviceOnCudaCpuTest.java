package dev.gantry.gpu;

import dev.gantry.engine.compute.CpuDevice;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CudaDevice}, the engine's Device on CUDA, with its kernels run on the CPU harness: the calls the
 * engine's forward pass makes (products for one token and for a prefill chunk, with weights uploaded once and
 * reused, RMSNorm, SwiGLU) against {@link CpuDevice}, within the bounds of {@link KernelParityCases}.
 */
class CudaDeviceOnCudaCpuTest {

    @Test
    void engineCallsMatchTheCpuDevice() {
        Random rnd = new Random(41);
        Tensor w = KernelParityCases.weight(GgmlType.Q8_0, 40, 64, rnd);
        float[] norm = KernelParityCases.random(rnd, 64);
        try (CudaDevice gpu = new CudaDevice(CudaCpuHarness.launcherForAll(), 1, false);
             CpuDevice cpu = new CpuDevice(1)) {
            for (int n : new int[] {1, 20, 1}) {  // decode, prefill (tiled kernel), decode again: one upload
                float[] x = KernelParityCases.random(rnd, n * 64);
                float[] got = new float[n * 40];
                float[] want = new float[n * 40];
                gpu.matmul(w, x, n, got);
                cpu.matmul(w, x, n, want);
                close(want, got, 1e-4, "matmul n=" + n);

                float[] normed = new float[n * 64];
                float[] normedCpu = new float[n * 64];
                gpu.rmsNorm(x, n, 64, norm, 1e-5f, normed);
                cpu.rmsNorm(x, n, 64, norm, 1e-5f, normedCpu);
                close(normedCpu, normed, 1e-5, "rmsNorm n=" + n);

                float[] gate = KernelParityCases.random(rnd, n * 64);
                float[] gateCpu = gate.clone();
                float[] up = KernelParityCases.random(rnd, n * 64);
                gpu.swiglu(gate, up, n, 64);
                cpu.swiglu(gateCpu, up, n, 64);
                close(gateCpu, gate, 1e-5, "swiglu n=" + n);
            }
            assertEquals("cuda-cpu harness", gpu.name().substring(0, 16));
        }
    }

    private static void close(float[] want, float[] got, double tolerance, String what) {
        for (int i = 0; i < want.length; i++) {
            int at = i;
            assertTrue(Math.abs(want[i] - got[i]) <= tolerance * Math.max(1, Math.abs(want[i])),
                    () -> what + "[" + at + "] = " + got[at] + ", the CPU device gives " + want[at]);
        }
    }
}
