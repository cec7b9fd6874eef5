package dev.gantry.gpu;

import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link KernelLauncher} on a CUDA device through JCuda's driver API: a context on the device, one module per
 * kernel file loaded from its packaged fatbin ({@code cuModuleLoadData}), launches with {@code cuLaunchKernel}
 * on the default stream. Only the driver's {@code libcuda} is needed, no CUDA runtime or toolkit.
 *
 * <p>Callers check {@link CudaProbe#result()} first; constructing this without a usable device throws.
 */
public final class JCudaLauncher implements KernelLauncher {

    private final int index;
    private final CUcontext context = new CUcontext();
    private final Map<KernelFamily, CUmodule> modules = new EnumMap<>(KernelFamily.class);
    private final Map<String, CUfunction> functions = new HashMap<>();

    /**
     * Opens device {@code index}.
     *
     * @throws IllegalStateException when CUDA is not usable or the device cannot be opened
     */
    public JCudaLauncher(int index) {
        CudaProbe.Result probe = CudaProbe.result();
        if (!probe.usable()) {
            throw new IllegalStateException("CUDA is not usable: " + probe.unavailableReason().orElseThrow());
        }
        if (index < 0 || index >= probe.devices().size()) {
            throw new IllegalStateException("cuda:" + index + " does not exist; this machine has "
                    + probe.devices().size() + " CUDA device(s)");
        }
        this.index = index;
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, index);
        JCudaDriver.cuCtxCreate(context, 0, device);
        for (KernelFamily family : KernelFamily.values()) {
            CUmodule module = new CUmodule();
            JCudaDriver.cuModuleLoadData(module, fatbin(family));
            modules.put(family, module);
        }
    }

    private static byte[] fatbin(KernelFamily family) {
        try (InputStream in = JCudaLauncher.class.getResourceAsStream(family.fatbinResource())) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + family.fatbinResource());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "cuda:" + index;
    }

    /** Makes this launcher's context current on the calling thread (each thread that launches must). */
    public void bindThread() {
        JCudaDriver.cuCtxSetCurrent(context);
    }

    private record Allocation(CUdeviceptr pointer, long bytes, boolean owner) implements GpuBuffer {
        @Override
        public GpuBuffer slice(long offset, long length) {
            GpuBuffer.checkSlice(bytes, offset, length);
            return new Allocation(pointer.withByteOffset(offset), length, false);
        }
    }

    private static Allocation of(GpuBuffer b) {
        if (b instanceof Allocation a) {
            return a;
        }
        throw new IllegalArgumentException("not a buffer of this launcher: " + b);
    }

    @Override
    public GpuBuffer allocate(long bytes) {
        bindThread();
        CUdeviceptr p = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(p, Math.max(1, bytes));
        return new Allocation(p, bytes, true);
    }

    @Override
    public void free(GpuBuffer buffer) {
        Allocation a = of(buffer);
        if (!a.owner()) {
            throw new IllegalArgumentException("free the allocation, not a slice of it");
        }
        bindThread();
        JCudaDriver.cuMemFree(a.pointer());
    }

    @Override
    public void upload(MemorySegment src, GpuBuffer dst) {
        Allocation a = of(dst);
        long bytes = src.byteSize();
        if (bytes > a.bytes()) {
            throw new IllegalArgumentException("uploading " + bytes + " bytes into " + a.bytes());
        }
        bindThread();
        // Off-heap segments (the mapped model) go straight from their memory, 1 GiB at a time; heap ones by array.
        for (long off = 0; off < bytes; off += 1L << 30) {
            long n = Math.min(1L << 30, bytes - off);
            MemorySegment part = src.asSlice(off, n);
            Pointer host = src.isNative() ? Pointer.to(part.asByteBuffer()) : Pointer.to(part.toArray(
                    java.lang.foreign.ValueLayout.JAVA_BYTE));
            JCudaDriver.cuMemcpyHtoD(a.pointer().withByteOffset(off), host, n);
        }
    }

    @Override
    public void download(GpuBuffer src, MemorySegment dst) {
        Allocation a = of(src);
        long bytes = dst.byteSize();
        if (bytes > a.bytes()) {
            throw new IllegalArgumentException("downloading " + bytes + " bytes from " + a.bytes());
        }
        bindThread();
        if (dst.isNative()) {
            JCudaDriver.cuMemcpyDtoH(Pointer.to(dst.asByteBuffer()), a.pointer(), bytes);
        } else {
            byte[] tmp = new byte[Math.toIntExact(bytes)];
            JCudaDriver.cuMemcpyDtoH(Pointer.to(tmp), a.pointer(), bytes);
            MemorySegment.copy(MemorySegment.ofArray(tmp), 0, dst, 0, bytes);
        }
    }

    @Override
    public void launch(KernelLaunch l) {
        bindThread();
        CUfunction f = function(l);
        List<Object> args = l.args();
        Pointer[] params = new Pointer[args.size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = switch (args.get(i)) {
                case Allocation a -> Pointer.to(a.pointer());
                case Integer v -> Pointer.to(new int[] {v});
                case Float v -> Pointer.to(new float[] {v});
                case Long v -> Pointer.to(new long[] {v});
                default -> throw new IllegalArgumentException(l.kernel() + ": argument " + i + " is not of this launcher");
            };
        }
        JCudaDriver.cuLaunchKernel(f, l.grid().x(), l.grid().y(), l.grid().z(), l.block().x(), l.block().y(),
                l.block().z(), l.sharedBytes(), null, Pointer.to(params), null);
    }

    private CUfunction function(KernelLaunch l) {
        CUfunction f = functions.get(l.kernel());
        if (f == null) {
            f = new CUfunction();
            JCudaDriver.cuModuleGetFunction(f, modules.get(l.family()), l.kernel());
            functions.put(l.kernel(), f);
        }
        if (l.sharedBytes() > KernelLaunch.DEFAULT_SHARED_LIMIT) {
            JCudaDriver.cuFuncSetAttribute(f, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                    l.sharedBytes());
        }
        return f;
    }

    @Override
    public void synchronize() {
        bindThread();
        JCudaDriver.cuCtxSynchronize();
    }

    @Override
    public void close() {
        bindThread();
        for (CUmodule m : modules.values()) {
            JCudaDriver.cuModuleUnload(m);
        }
        JCudaDriver.cuCtxDestroy(context);
    }
}
