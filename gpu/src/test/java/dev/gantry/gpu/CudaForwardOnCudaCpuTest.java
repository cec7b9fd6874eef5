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
                int[] next = forward.decode(List.of(a, b), new int[] {nextA, nextB});
                nextA = next[0];
                nextB = next[1];
            }
            assertArrayEquals(Arrays.copyOfRange(want, forced, forced + 8), gotA, "batched decode, long sequence");
            assertArrayEquals(Arrays.copyOfRange(want, 0, 8), gotB, "batched decode, short sequence");
        }
    }
}
