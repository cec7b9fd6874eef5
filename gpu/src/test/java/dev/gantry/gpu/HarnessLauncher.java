package dev.gantry.gpu;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link KernelLauncher} on the CPU: device buffers are host arrays; launches are queued and, when a result is
 * needed, written with every buffer to a file that a CUDA-on-CPU harness binary runs ({@code harness_io.h}
 * describes the format), after which the buffers are read back. The launches are {@link Kernels}' own, the
 * same the JCuda launcher runs on a GPU.
 */
final class HarnessLauncher implements KernelLauncher {

    private final Path binary;
    private final Path runs;
    private final List<byte[]> buffers = new ArrayList<>();
    private final List<KernelLaunch> pending = new ArrayList<>();
    private int launchesRun;
    private int harnessRuns;

    HarnessLauncher(Path binary, Path runs) {
        this.binary = binary;
        this.runs = runs;
    }

    private record HostBuffer(HarnessLauncher owner, int index, long offset, long bytes) implements GpuBuffer {
        @Override
        public GpuBuffer slice(long off, long length) {
            GpuBuffer.checkSlice(bytes, off, length);
            return new HostBuffer(owner, index, offset + off, length);
        }

        @Override
        public String toString() {
            return "buffer " + index + " [" + offset + ", +" + bytes + ")";
        }
    }

    private HostBuffer of(GpuBuffer b) {
        if (b instanceof HostBuffer h && h.owner == this) {
            return h;
        }
        throw new IllegalArgumentException("not a buffer of this launcher: " + b);
    }

    @Override
    public String name() {
        return "cuda-cpu harness " + binary.getFileName();
    }

    /** Launches run so far. */
    int launchesRun() {
        return launchesRun;
    }

    /** Times the harness ran: each is a point where the host waited for the device (a download or an upload). */
    int runs() {
        return harnessRuns;
    }

    @Override
    public GpuBuffer allocate(long bytes) {
        buffers.add(new byte[Math.toIntExact(bytes)]);
        return new HostBuffer(this, buffers.size() - 1, 0, bytes);
    }

    @Override
    public void free(GpuBuffer buffer) {
        HostBuffer h = of(buffer);
        buffers.set(h.index, new byte[0]);
    }

    @Override
    public void upload(MemorySegment src, GpuBuffer dst) {
        synchronize();  // an upload comes after the launches queued before it
        HostBuffer h = of(dst);
        if (src.byteSize() > h.bytes) {
            throw new IllegalArgumentException("uploading " + src.byteSize() + " bytes into " + h.bytes);
        }
        MemorySegment.copy(src, 0, MemorySegment.ofArray(buffers.get(h.index)), h.offset, src.byteSize());
    }

    @Override
    public void download(GpuBuffer src, MemorySegment dst) {
        synchronize();
        HostBuffer h = of(src);
        if (dst.byteSize() > h.bytes) {
            throw new IllegalArgumentException("downloading " + dst.byteSize() + " bytes from " + h.bytes);
        }
        MemorySegment.copy(MemorySegment.ofArray(buffers.get(h.index)), h.offset, dst, 0, dst.byteSize());
    }

    @Override
    public void launch(KernelLaunch launch) {
        for (Object a : launch.args()) {
            if (a instanceof GpuBuffer b) {
                of(b);
            }
        }
        pending.add(launch);
    }

    @Override
    public void synchronize() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(runs);
            Path in = Files.createTempFile(runs, "launches", ".in");
            Path out = Path.of(in + ".out");
            try {
                write(in);
                Process p = new ProcessBuilder(binary.toString(), in.toString(), out.toString())
                        .redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    throw new AssertionError("the harness failed running " + pending.stream()
                            .map(KernelLaunch::kernel).distinct().toList() + ": " + log);
                }
                read(out);
                launchesRun += pending.size();
                harnessRuns++;
                pending.clear();
            } finally {
                Files.deleteIfExists(in);
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void write(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            head.put("GHAR".getBytes()).putInt(1).putInt(buffers.size()).flip();
            writeFully(ch, head);
            for (byte[] b : buffers) {
                writeFully(ch, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(b.length).flip());
                writeFully(ch, ByteBuffer.wrap(b));
            }
            ByteBuffer l = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            l.putInt(pending.size());
            for (KernelLaunch k : pending) {
                if (l.remaining() < 4096) {
                    writeFully(ch, l.flip());
                    l.clear();
                }
                byte[] name = k.kernel().getBytes();
                l.putInt(name.length).put(name);
                l.putInt(k.grid().x()).putInt(k.grid().y()).putInt(k.grid().z());
                l.putInt(k.block().x()).putInt(k.block().y()).putInt(k.block().z());
                l.putInt(k.sharedBytes());
                l.putInt(k.args().size());
                for (Object a : k.args()) {
                    switch (a) {
                        case GpuBuffer b -> {
                            HostBuffer h = of(b);
                            l.putInt(0).putInt(h.index).putLong(h.offset);
                        }
                        case Integer i -> l.putInt(1).putInt(i);
                        case Float f -> l.putInt(2).putFloat(f);
                        case Long v -> l.putInt(3).putLong(v);
                        default -> throw new IllegalArgumentException("argument " + a);
                    }
                }
            }
            writeFully(ch, l.flip());
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private void read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file),
                1 << 20))) {
            int count = Integer.reverseBytes(in.readInt());
            if (count != buffers.size()) {
                throw new AssertionError("the harness returned " + count + " buffers, expected " + buffers.size());
            }
            for (int i = 0; i < count; i++) {
                long bytes = Long.reverseBytes(in.readLong());
                byte[] b = new byte[Math.toIntExact(bytes)];
                in.readFully(b);
                buffers.set(i, b);
            }
        }
    }

    @Override
    public void close() {
        buffers.clear();
        pending.clear();
    }
}
