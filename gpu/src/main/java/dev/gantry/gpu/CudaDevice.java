package dev.gantry.gpu;

import dev.gantry.engine.compute.CpuDevice;
import dev.gantry.engine.compute.Device;
import dev.gantry.engine.kv.PagedKvCache;
import dev.gantry.engine.llama.LlamaForward;
import dev.gantry.engine.llama.LlamaModel;
import dev.gantry.engine.llama.ResidentForwardSource;
import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.spi.attention.AttentionBackend;

import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.logging.Logger;

/**
 * The engine's {@link Device} on a CUDA GPU. The engine serves through its resident forward pass
 * ({@link ResidentForwardSource}, a {@link CudaBatchForward}: weights, activations and KV on the device) when the
 * set-up allows it: the {@code dense} attention backend and the {@code f32} KV codec, the ones our kernels
 * implement, and a model the kernels take. Otherwise the engine's own forward pass calls this device per
 * operation: matrix products, RMSNorm and SwiGLU run in our kernels, each weight uploaded on first use and kept
 * on the device, while the activations of each call cross to the device and back, because that forward pass
 * keeps them in host arrays between calls (attention runs in the configured plugin on the host). RoPE, softmax
 * and {@link #parallel} stay on the host, on a {@link CpuDevice}. One log line says which path was chosen and why.
 */
public final class CudaDevice implements Device, ResidentForwardSource {

    private static final Logger LOG = Logger.getLogger(CudaDevice.class.getName());

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

    /**
     * The resident forward pass, or empty (the engine then calls this device per operation) for an attention
     * backend or KV codec our kernels do not implement, or a model or step size they cannot run.
     */
    @Override
    public Optional<LlamaForward> residentForward(LlamaModel model, AttentionBackend attention, PagedKvCache cache,
                                                  int maxRows, int maxSegments) {
        String dense = ExtensionPoint.ATTENTION.defaultName();
        String f32 = ExtensionPoint.KV_CODEC.defaultName();
        String why;
        if (!attention.name().equals(dense)) {
            why = "attention backend '" + attention.name() + "' runs on the host (the device kernels implement '"
                    + dense + "' only)";
        } else if (!cache.codec().name().equals(f32)) {
            why = "KV codec '" + cache.codec().name() + "' is not implemented on the device (only '" + f32 + "' is)";
        } else {
            try {
                LlamaForward resident = new CudaBatchForward(model, gpu, cache, maxRows, maxSegments, tensorCores);
                LOG.info(name() + ": resident forward pass: weights, activations and KV on the device; per step"
                        + " token ids, positions and block tables go over and logits come back");
                return Optional.of(resident);
            } catch (IllegalArgumentException e) {
                why = e.getMessage();
            }
        }
        LOG.info(name() + ": per-operation forward pass (products, norms and SwiGLU on the device, activations"
                + " copied each call) because " + why);
        return Optional.empty();
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
