package dev.gantry.gpu;

import dev.gantry.engine.compute.CpuDevice;
import dev.gantry.engine.compute.Device;
import dev.gantry.engine.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The engine's {@link Device} on a CUDA GPU, for the engine's own forward pass: matrix products, RMSNorm and
 * SwiGLU run in our kernels, each weight uploaded on first use and kept on the device; the activations of each
 * call cross to the device and back, because the engine's forward pass keeps them in host arrays between calls
 * (attention runs in the configured attention plugin on the host). RoPE, softmax and {@link #parallel} stay on
 * the host, on a {@link CpuDevice}.
 *
 * <p>The fully resident path, where activations and KV stay on the device between layers, is
 * {@link CudaForward}.
 */
public final class CudaDevice implements Device {

    private final KernelLauncher gpu;
    private final CpuDevice host;
    private final boolean tensorCores;
    private final Map<Tensor, GpuBuffer> weights = new IdentityHashMap<>();
    private final Map<float[], GpuBuffer> vectors = new IdentityHashMap<>();
    private GpuBuffer in;
    private GpuBuffer in2;
    private GpuBuffer out;

    /**
     * Opens CUDA device {@code index}.
     *
     * @throws IllegalStateException when it is not usable
     */
    public CudaDevice(int index, int hostThreads) {
        this(new JCudaLauncher(index), hostThreads, !Boolean.getBoolean("gantry.cuda.no-tensor-cores"));
    }

    /** A device over any launcher (the tests run it on the CUDA-on-CPU harness); it closes the launcher. */
    CudaDevice(KernelLauncher gpu, int hostThreads, boolean tensorCores) {
        this.gpu = gpu;
        this.host = new CpuDevice(hostThreads);
        this.tensorCores = tensorCores;
    }

    @Override
    public String name() {
        return gpu.name();
    }

    /** The launcher, for code that runs its own kernels on this device. */
    public KernelLauncher launcher() {
        return gpu;
    }

    @Override
    public void matmul(Tensor weight, float[] x, int n, float[] result) {
        GpuBuffer w = weights.computeIfAbsent(weight, t -> gpu.upload(t.data()));
        int rows = weight.rows();
        int cols = weight.cols();
        GpuBuffer dx = input(4L * n * cols);
        GpuBuffer dOut = output(4L * n * rows);
        gpu.upload(MemorySegment.ofArray(x).asSlice(0, 4L * n * cols), dx);
        gpu.launch(Kernels.product(weight.type(), w, rows, cols, dx, n, dOut, tensorCores));
        gpu.download(dOut, MemorySegment.ofArray(result).asSlice(0, 4L * n * rows));
    }

    @Override
    public void rmsNorm(float[] x, int n, int dim, float[] weight, float eps, float[] result) {
        GpuBuffer w = vectors.computeIfAbsent(weight, gpu::upload);
        GpuBuffer dx = input(4L * n * dim);
        GpuBuffer dOut = output(4L * n * dim);
        gpu.upload(MemorySegment.ofArray(x).asSlice(0, 4L * n * dim), dx);
        gpu.launch(Kernels.rmsNorm(dx, w, eps, dim, n, dOut));
        gpu.download(dOut, MemorySegment.ofArray(result).asSlice(0, 4L * n * dim));
    }

    @Override
    public void swiglu(float[] gateValues, float[] upValues, int n, int width) {
        long bytes = 4L * n * width;
        GpuBuffer g = input(bytes);
        if (in2 == null || in2.bytes() < bytes) {
            if (in2 != null) {
                gpu.free(in2);
            }
            in2 = gpu.allocate(bytes);
        }
        gpu.upload(MemorySegment.ofArray(gateValues).asSlice(0, bytes), g);
        gpu.upload(MemorySegment.ofArray(upValues).asSlice(0, bytes), in2);
        gpu.launch(Kernels.swiglu(g, in2, n * width));
        gpu.download(g, MemorySegment.ofArray(gateValues).asSlice(0, bytes));
    }

    @Override
    public void softmax(float[] x, int offset, int length) {
        host.softmax(x, offset, length);
    }

    @Override
    public void rope(float[] x, int offset, int heads, int headDim, int pairs, float[] cos, float[] sin) {
        host.rope(x, offset, heads, headDim, pairs, cos, sin);
    }

    @Override
    public void parallel(int count, IntConsumer task) {
        host.parallel(count, task);
    }

    @Override
    public int threads() {
        return host.threads();
    }

    private GpuBuffer input(long bytes) {
        if (in == null || in.bytes() < bytes) {
            if (in != null) {
                gpu.free(in);
            }
            in = gpu.allocate(bytes);
        }
        return in.slice(0, bytes);
    }

    private GpuBuffer output(long bytes) {
        if (out == null || out.bytes() < bytes) {
            if (out != null) {
                gpu.free(out);
            }
            out = gpu.allocate(bytes);
        }
        return out.slice(0, bytes);
    }

    @Override
    public void close() {
        gpu.close();  // destroying the context frees every allocation
        host.close();
    }
}
