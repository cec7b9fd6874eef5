package dev.gantry.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.llama.LlamaModel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole resident GPU forward pass, {@link CudaForward}, with every launch it makes run on the CPU through
 * the CUDA-on-CPU harness, on the trained stories260K model: its greedy tokens must be the oracle's. Prefill in
 * chunks (the tiled product and the causal tree kernel, then the decode product for the short last chunk),
 * then decode steps (the decode product, the paged decode attention, argmax), all from device buffers.
 */
class CudaForwardOnCudaCpuTest {

    static Path shared(String relative) {
        Path p = Path.of(System.getProperty("gantry.shared.dir", "../shared")).resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "skipped: " + p + " is not there");
        return p;
    }

    static JsonNode oracleCase(String prompt) throws IOException {
        JsonNode oracle = new ObjectMapper().readTree(shared("oracle/stories260K_greedy.json").toFile());
        for (JsonNode c : oracle.get("cases")) {
            if (c.get("prompt").asText().equals(prompt)) {
                return c;
            }
        }
        throw new AssertionError("no oracle case for " + prompt);
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @Test
    void greedyTokensMatchTheOracle() throws IOException {
        JsonNode c = oracleCase("Once upon a time");
        int[] prompt = ints(c.get("prompt_tokens"));
        int[] want = ints(c.get("generated_tokens"));
        try (LlamaModel model = LlamaModel.open(shared("models/stories260K.gguf"));
             HarnessLauncher gpu = CudaCpuHarness.launcherForAll();
             CudaForward forward = new CudaForward(model, gpu, 24, 2, 96, 16, false)) {
            // Teacher-forced prefill of 5 + 31 tokens: a 24-token chunk (tiled product, causal kernel over one
            // chunk) and a 12-token chunk after it (decode product, causal kernel over cached slots).
            int forced = 31;
            int[] longPrompt = new int[prompt.length + forced];
            System.arraycopy(prompt, 0, longPrompt, 0, prompt.length);
            System.arraycopy(want, 0, longPrompt, prompt.length, forced);
            CudaForward.Sequence a = forward.newSequence();
            assertEquals(want[forced], forward.prefill(a, longPrompt), "next token after a chunked prefill");

            // Greedy decoding for two sequences in one batch: the long one and a fresh one from the prompt.
            CudaForward.Sequence b = forward.newSequence();
            int nextB = forward.prefill(b, prompt);
            int nextA = want[forced];
            int[] gotA = new int[8];
            int[] gotB = new int[8];
            for (int i = 0; i < 8; i++) {
                gotA[i] = nextA;
                gotB[i] = nextB;
                int runsBefore = gpu.runs();
                int launchesBefore = gpu.launchesRun();
                int[] next = forward.decode(List.of(a, b), new int[] {nextA, nextB});
                nextA = next[0];
                nextB = next[1];
                // Every layer's launches ran in one go: the host waited once, for the chosen tokens.
                assertEquals(1, gpu.runs() - runsBefore, "host round trips in one decode step");
                assertTrue(gpu.launchesRun() - launchesBefore > 5 * model.config().layers());
            }
            assertArrayEquals(Arrays.copyOfRange(want, forced, forced + 8), gotA, "batched decode, long sequence");
            assertArrayEquals(Arrays.copyOfRange(want, 0, 8), gotB, "batched decode, short sequence");
        }
    }

    /**
     * A draft tree verified in one forward (tree attention, positions by depth): along the greedy path every
     * node's next token is the greedy one, whatever its wrong siblings; keeping that path's KV, decoding goes on
     * exactly as plain greedy decoding.
     */
    @Test
    void treeVerificationIsGreedyExact() throws IOException {
        try (HarnessLauncher gpu = CudaCpuHarness.launcherForAll()) {
            treeVerificationCase(gpu);
        }
    }

    /** The tree case on any launcher (the GPU tests run it too). */
    static void treeVerificationCase(KernelLauncher gpu) throws IOException {
        JsonNode c = oracleCase("Once upon a time");
        int[] prompt = ints(c.get("prompt_tokens"));
        int[] want = ints(c.get("generated_tokens"));
        try (LlamaModel model = LlamaModel.open(shared("models/stories260K.gguf"));
             CudaForward forward = new CudaForward(model, gpu, 16, 1, 64, 16, false)) {
            CudaForward.Sequence s = forward.newSequence();
            assertEquals(want[0], forward.prefill(s, prompt));
            int wrong = (want[1] + 7) % forward.vocabularySize();
            // 0 = pending want[0]; 1 = want[1] and 2 = wrong under 0; 3 = want[2] and 4 = wrong under 1; 5 = want[3].
            int[] tree = {want[0], want[1], wrong, want[2], wrong, want[3]};
            int[] parents = {-1, 0, 0, 1, 1, 3};
            int[] next = forward.verifyTree(s, tree, parents);
            assertEquals(want[1], next[0]);
            assertEquals(want[2], next[1]);
            assertEquals(want[3], next[3]);
            assertEquals(want[4], next[5]);
            forward.acceptPath(s, new int[] {0, 1, 3, 5});
            assertEquals(prompt.length + 4, s.length());
            int token = want[4];
            for (int i = 5; i < 9; i++) {
                token = forward.decode(List.of(s), new int[] {token})[0];
                assertEquals(want[i], token, "decoding after the accepted path, token " + i);
            }
        }
    }
}
