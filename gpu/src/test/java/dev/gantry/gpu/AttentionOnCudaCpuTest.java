package dev.gantry.gpu;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * attention.cu run on the CPU against the baseline plugin's exact dense attention (absolute 2e-5; outputs are
 * averages of values in [−1, 1]): paged decode for a batch of sequences of different lengths, whose blocks are
 * scattered through the cache, with grouped-query heads, in one split and in several (split-K, merged by the
 * combine kernel); tree attention with a draft tree given by parent indices; causal attention of a prefill
 * chunk after 300 cached slots (more than one chunk of the kernel's online softmax).
 */
class AttentionOnCudaCpuTest {

    private static HarnessLauncher gpu;

    @BeforeAll
    static void build() {
        gpu = CudaCpuHarness.launcher(KernelFamily.ATTENTION);
    }

    @AfterAll
    static void close() {
        if (gpu != null) {
            gpu.close();
        }
    }

    @Test
    void pagedDecodeInOneSplitMatchesDenseAttention() {
        KernelParityCases.pagedDecode(gpu, 512, 4, 2, 32, 5, 37, 300);
    }

    @Test
    void pagedDecodeSplitKMatchesDenseAttention() {
        KernelParityCases.pagedDecode(gpu, 64, 4, 2, 32, 5, 37, 300);  // 300 slots: 5 splits of 64
        KernelParityCases.pagedDecode(gpu, 48, 8, 8, 64, 130, 1);      // no GQA, head size 64
    }

    @Test
    void treeMaskedAttentionMatchesTheEnginesTreeMask() {
        // Node 0 is the pending token; two branches, one of them three deep.
        KernelParityCases.tree(gpu, 23, new int[] {-1, 0, 0, 1, 1, 2, 5}, 7, 4, 2, 32);
    }

    @Test
    void causalPrefillChunkMatchesDenseAttention() {
        KernelParityCases.tree(gpu, 300, null, 20, 4, 1, 32);
        KernelParityCases.tree(gpu, 0, null, 9, 2, 2, 16);
    }
}
