package dev.gantry.gpu;

import dev.gantry.engine.tensor.GgmlType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the JCuda launcher relies on, checked against the kernel sources without a GPU: every kernel that
 * {@link Kernels} launches exists in its file with the same number and kinds of parameters as the launch
 * packs (pointers, int, float, long long) — the tensor-core kernel included, which no CPU can run — the
 * {@code #define}d geometry equals {@link Kernels}' constants, the grids cover the shapes, and the sources keep
 * the rules that let them run on the CPU.
 */
class KernelSignatureTest {

    private static final Path SOURCES = Path.of(System.getProperty("gantry.cuda.sources", "src/main/cuda"));
    private static final Pattern KERNEL = Pattern.compile("GANTRY_KERNEL\\s+void\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern DEFINE = Pattern.compile("#define\\s+(\\w+)\\s+(\\d+)\\s*$", Pattern.MULTILINE);

    /** A stand-in buffer: only its size matters when building launches. */
    private record Fake(long bytes) implements GpuBuffer {
        @Override
        public GpuBuffer slice(long offset, long length) {
            return new Fake(length);
        }
    }

    private static final GpuBuffer BIG = new Fake(1L << 30);

    private static String source(KernelFamily f) throws IOException {
        return Files.readString(SOURCES.resolve(f.file() + ".cu"));
    }

    /** Parameter kinds per kernel, from the sources: "ptr", "int", "float" or "long". */
    private static Map<String, List<String>> signatures() throws IOException {
        Map<String, List<String>> out = new HashMap<>();
        for (KernelFamily f : KernelFamily.values()) {
            Matcher m = KERNEL.matcher(source(f));
            while (m.find()) {
                List<String> kinds = new ArrayList<>();
                for (String p : m.group(2).split(",")) {
                    String t = p.strip();
                    kinds.add(t.contains("*") ? "ptr" : t.startsWith("long long") ? "long"
                            : t.startsWith("float") ? "float" : t.startsWith("int") ? "int" : "unknown " + t);
                }
                out.put(m.group(1), kinds);
            }
        }
        return out;
    }

    private static String kind(Object arg) {
        return switch (arg) {
            case GpuBuffer b -> "ptr";
            case Integer i -> "int";
            case Float f -> "float";
            case Long l -> "long";
            default -> "unknown";
        };
    }

    /** One launch of every kernel the Java side makes. */
    private static List<KernelLaunch> everyLaunch() {
        List<KernelLaunch> all = new ArrayList<>();
        for (GgmlType t : List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0)) {
            all.add(Kernels.matvec(t, BIG, 64, 64, BIG, 3, BIG));
            all.add(Kernels.matmul(t, BIG, 64, 64, BIG, 40, BIG, false));
            all.add(Kernels.matmul(t, BIG, 64, 64, BIG, 40, BIG, true));
            all.add(Kernels.embed(t, BIG, 64, BIG, 2, BIG));
        }
        all.add(Kernels.rmsNorm(BIG, BIG, 1e-5f, 64, 2, BIG));
        all.add(Kernels.rope(BIG, 64, BIG, BIG, BIG, 4, 16, 8, 2));
        all.add(Kernels.swiglu(BIG, BIG, 100));
        all.add(Kernels.add(BIG, BIG, 100));
        all.add(Kernels.kvWrite(BIG, BIG, 64, BIG, 2, BIG, BIG));
        all.add(Kernels.kvMove(BIG, BIG, 64, BIG, BIG, 3));
        all.add(Kernels.gatherRows(BIG, BIG, 2, 64, BIG));
        all.add(Kernels.copyFloats(BIG, BIG, 100, 4));
        all.addAll(Kernels.pagedAttentionDecode(BIG, BIG, BIG, BIG, BIG, 2, 8, 16, 4, 2, 64, 0.125f, 100, 32, BIG,
                BIG, BIG, BIG));
        all.add(Kernels.treeAttention(BIG, BIG, BIG, BIG, 10, 5, BIG, 16, 4, 2, 64, 0.125f, BIG));
        all.add(Kernels.causalAttention(BIG, BIG, BIG, BIG, 10, 5, 16, 4, 2, 64, 0.125f, BIG));
        all.add(Kernels.argmax(BIG, 2, 100, BIG, BIG));
        all.add(Kernels.topK(BIG, 2, 100, 5, BIG, BIG));
        return all;
    }

    @Test
    void everyLaunchPacksTheKernelsParameters() throws IOException {
        Map<String, List<String>> signatures = signatures();
        for (KernelLaunch l : everyLaunch()) {
            List<String> params = signatures.get(l.kernel());
            assertTrue(params != null, l.kernel() + " is not a GANTRY_KERNEL in " + l.family().file() + ".cu");
            assertEquals(params, l.args().stream().map(KernelSignatureTest::kind).toList(),
                    l.kernel() + ": the launch's arguments must match the kernel's parameters in order");
        }
    }

    @Test
    void everyKernelOfAFileIsListedInItsFamily() throws IOException {
        for (KernelFamily f : KernelFamily.values()) {
            Matcher m = KERNEL.matcher(source(f));
            List<String> declared = new ArrayList<>();
            while (m.find()) {
                declared.add(m.group(1));
            }
            assertEquals(f.kernels(), declared, f.file() + ".cu");
        }
        List<String> launched = everyLaunch().stream().map(KernelLaunch::kernel).distinct().sorted().toList();
        List<String> listed = new ArrayList<>();
        for (KernelFamily f : KernelFamily.values()) {
            listed.addAll(f.kernels());
        }
        assertEquals(listed.stream().sorted().toList(), launched, "every kernel is launched by Kernels");
    }

    @Test
    void geometryConstantsMatchTheSources() throws IOException {
        Map<String, Integer> defines = new HashMap<>();
        for (KernelFamily f : KernelFamily.values()) {
            Matcher m = DEFINE.matcher(source(f));
            while (m.find()) {
                defines.put(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        assertEquals(Kernels.MATVEC_THREADS, defines.get("MATVEC_THREADS"));
        assertEquals(Kernels.MATVEC_TOKENS, defines.get("MATVEC_TOKENS"));
        assertEquals(Kernels.MM_TILE, defines.get("MM_TILE"));
        assertEquals(Kernels.MM_THREADS, defines.get("MM_THREADS"));
        assertEquals(Kernels.ELEMENTWISE_THREADS, defines.get("ELEMENTWISE_THREADS"));
        assertEquals(Kernels.ATTN_THREADS, defines.get("ATTN_THREADS"));
        assertEquals(Kernels.TREE_CHUNK, defines.get("TREE_CHUNK"));
        assertEquals(Kernels.SAMPLING_THREADS, defines.get("SAMPLING_THREADS"));
    }

    @Test
    void gridsCoverTheShapes() {
        KernelLaunch mv = Kernels.matvec(GgmlType.Q8_0, BIG, 45, 64, BIG, 11, BIG);
        assertEquals(12, mv.grid().x(), "4 rows (warps) per block");
        assertEquals(2, mv.grid().y(), "8 tokens per block");
        KernelLaunch mm = Kernels.matmul(GgmlType.F16, BIG, 45, 64, BIG, 37, BIG, true);
        assertEquals(List.of(2, 2), List.of(mm.grid().x(), mm.grid().y()));
        List<KernelLaunch> decode = Kernels.pagedAttentionDecode(BIG, BIG, BIG, BIG, BIG, 3, 8, 16, 8, 2, 64, 0.1f,
                300, 64, BIG, BIG, BIG, BIG);
        assertEquals(new Dim3(8, 5, 3), decode.get(0).grid(), "heads × splits × sequences");
        assertEquals(4 * (64 + 64 + 32), decode.get(0).sharedBytes());
        assertEquals(Dim3.of(8, 3), decode.get(1).grid());
        KernelLaunch tree = Kernels.treeAttention(BIG, BIG, BIG, BIG, 0, 7, BIG, 16, 4, 2, 64, 0.1f, BIG);
        assertEquals(4 * (64 + 7 + Kernels.TREE_CHUNK + 32), tree.sharedBytes());
        assertEquals(Kernels.matvec(GgmlType.F32, BIG, 8, 8, BIG, 16, BIG).kernel(),
                Kernels.product(GgmlType.F32, BIG, 8, 8, BIG, 16, BIG, true).kernel(), "decode stays on matvec");
        assertEquals("matmul_tc", Kernels.product(GgmlType.F32, BIG, 8, 8, BIG, 17, BIG, true).kernel());
    }

    @Test
    void launchesRefuseWhatTheKernelsCannotDo() {
        assertThrows(IllegalArgumentException.class, () -> Kernels.treeAttention(BIG, BIG, BIG, BIG, 0, 5, BIG, 16,
                4, 2, 256, 0.1f, BIG), "head size above the block");
        assertThrows(IllegalArgumentException.class, () -> Kernels.matvec(GgmlType.Q4_K, BIG, 8, 256, BIG, 1, BIG));
        assertThrows(IllegalArgumentException.class, () -> Kernels.treeAttention(BIG, BIG, BIG, BIG, 0, 20_000, BIG,
                16, 4, 2, 64, 0.1f, BIG), "shared memory above 48 KiB");
        assertThrows(IllegalArgumentException.class, () -> Kernels.matvec(GgmlType.F32, BIG, 8, 8, new Fake(16), 2,
                BIG), "x too small");
    }

    @Test
    void sourcesKeepTheRulesThatLetThemRunOnTheCpu() throws IOException {
        for (KernelFamily f : KernelFamily.values()) {
            String src = source(f);
            assertFalse(src.contains("<<<"), f.file() + ".cu must not launch kernels itself");
            assertFalse(Pattern.compile("__shfl(_down|_up|_xor)?\\(").matcher(src).find(),
                    f.file() + ".cu: only the *_sync warp shuffles have 32-lane semantics on the CPU");
        }
    }
}
