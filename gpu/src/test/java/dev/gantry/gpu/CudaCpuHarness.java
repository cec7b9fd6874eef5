package dev.gantry.gpu;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds the CPU harnesses of {@code src/test/cuda-cpu} with {@code g++} against {@code ../shared/cuda-cpu}
 * (HIP-CPU and the 32-lane warp shim). A binary is named after a hash of every source it is made from, and
 * kept in {@code target/cuda-cpu}, so it is compiled once per change of the kernels or the harness.
 *
 * <p>Without {@code ../shared/cuda-cpu} the tests are skipped (a fresh clone); without {@code g++} or TBB they
 * fail, saying what to install, since CI installs both.
 */
final class CudaCpuHarness {

    private static final Path KERNELS = Path.of(System.getProperty("gantry.cuda.sources", "src/main/cuda"));
    private static final Path HARNESSES = Path.of(System.getProperty("gantry.cuda.harness.sources",
            "src/test/cuda-cpu"));
    private static final Path BIN = Path.of(System.getProperty("gantry.cuda.harness.bin", "target/cuda-cpu"));
    private static final Path SHIM = Path.of(System.getProperty("gantry.shared.dir", "../shared"), "cuda-cpu");
    private static final Pattern INCLUDE = Pattern.compile("#include \"(\\w+\\.cu)\"\\s*");

    private CudaCpuHarness() {
    }

    /** The harness of one kernel file. */
    static Path binary(KernelFamily family) {
        return binary("harness_" + family.file());
    }

    /** The harness with every kernel (a whole forward pass). */
    static Path allKernels() {
        return binary("harness_all");
    }

    /** A launcher that runs launches in {@code binary} on the CPU. */
    static HarnessLauncher launcher(KernelFamily family) {
        return new HarnessLauncher(binary(family), BIN.resolve("runs"));
    }

    static HarnessLauncher launcherForAll() {
        return new HarnessLauncher(allKernels(), BIN.resolve("runs"));
    }

    /** Builds in flight or done, by harness name; the first request starts every harness's build, two at a time. */
    private static final Map<String, CompletableFuture<Path>> BUILDS = new ConcurrentHashMap<>();
    private static final ExecutorService BUILDERS = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "cuda-cpu-harness-build");
        t.setDaemon(true);
        return t;
    });

    private static Path binary(String name) {
        Assumptions.assumeTrue(Files.isRegularFile(SHIM.resolve("cuda_on_cpu.h")),
                "skipped: the CUDA-on-CPU harness needs ../shared/cuda-cpu, which is not there (" + SHIM + ")");
        synchronized (BUILDS) {
            if (BUILDS.isEmpty()) {
                // Start with the one asked for, then the others, so later test classes find theirs built.
                BUILDS.put(name, CompletableFuture.supplyAsync(() -> build(name), BUILDERS));
                for (KernelFamily f : KernelFamily.values()) {
                    BUILDS.computeIfAbsent("harness_" + f.file(), n -> CompletableFuture.supplyAsync(() -> build(n),
                            BUILDERS));
                }
                BUILDS.computeIfAbsent("harness_all", n -> CompletableFuture.supplyAsync(() -> build(n), BUILDERS));
            }
        }
        try {
            return BUILDS.computeIfAbsent(name, n -> CompletableFuture.supplyAsync(() -> build(n), BUILDERS)).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw e;
        }
    }

    private static Path build(String name) {
        try {
            Path source = HARNESSES.resolve(name + ".cpp");
            Path out = BIN.resolve(name + "-" + hash(source));
            if (Files.isExecutable(out)) {
                return out;
            }
            Files.createDirectories(BIN);
            Path tmp = BIN.resolve(name + ".tmp" + ProcessHandle.current().pid());
            Files.deleteIfExists(tmp);
            List<String> cmd = List.of("g++", "-std=c++20", "-O1", "-w", "-I" + SHIM.resolve("hip-cpu/include"),
                    "-I" + SHIM, "-I" + KERNELS, "-I" + HARNESSES, source.toString(), "-o", tmp.toString(), "-ltbb",
                    "-lpthread");
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new AssertionError("g++ is needed to run the CUDA kernels on the CPU: apt-get install -y g++ "
                        + "libtbb-dev (" + e.getMessage() + ")");
            }
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                String hint = log.contains("tbb") ? " (TBB is missing: apt-get install -y libtbb-dev)" : "";
                throw new AssertionError("building " + name + " failed" + hint + ":\n" + log);
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SHA-256 of the harness source, the kernel files it includes, their shared header, and the shim. */
    private static String hash(Path harness) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<Path> inputs = new ArrayList<>(List.of(harness, HARNESSES.resolve("harness_io.h"),
                    SHIM.resolve("cuda_on_cpu.h"), KERNELS.resolve("gantry_cuda.cuh")));
            try (Stream<String> lines = Files.lines(harness)) {
                lines.map(INCLUDE::matcher).filter(Matcher::matches).map(m -> KERNELS.resolve(m.group(1)))
                        .forEach(inputs::add);
            }
            for (Path p : inputs) {
                md.update(p.getFileName().toString().getBytes());
                md.update(Files.readAllBytes(p));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
