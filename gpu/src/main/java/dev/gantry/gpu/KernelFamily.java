package dev.gantry.gpu;

import java.util.List;

/**
 * The kernel files of {@code src/main/cuda}: each compiles to one fatbin (one CUDA module), and each has one CPU
 * harness in the tests. Every kernel the Java side launches is listed under its file here.
 */
public enum KernelFamily {
    MATVEC("matvec", List.of("matvec_f32", "matvec_f16", "matvec_bf16", "matvec_q8_0", "matvec_q4_0")),
    MATMUL("matmul", List.of("matmul_tiled", "matmul_tc")),
    ELEMENTWISE("elementwise", List.of("embed_rows", "rms_norm", "rope_rows", "swiglu", "add_in_place", "kv_write", "kv_move",
            "gather_rows", "copy_floats")),
    ATTENTION("attention", List.of("paged_attention_decode", "paged_attention_combine", "tree_attention")),
    SAMPLING("sampling", List.of("argmax_rows", "topk_rows"));

    private final String file;
    private final List<String> kernels;

    KernelFamily(String file, List<String> kernels) {
        this.file = file;
        this.kernels = kernels;
    }

    /** The base name of the kernel file ({@code matvec} for {@code matvec.cu}). */
    public String file() {
        return file;
    }

    /** The kernels of the file that the Java side launches. */
    public List<String> kernels() {
        return kernels;
    }

    /** The classpath resource the build packages this family's fatbin as. */
    public String fatbinResource() {
        return "/dev/gantry/gpu/kernels/" + file + ".fatbin";
    }

    /**
     * The family of a kernel.
     *
     * @throws IllegalArgumentException for a kernel no file declares
     */
    public static KernelFamily of(String kernel) {
        for (KernelFamily f : values()) {
            if (f.kernels.contains(kernel)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no kernel file declares " + kernel);
    }
}
