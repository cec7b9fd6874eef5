package dev.gantry.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.testing.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's entry points, called in-process: JSON contracts on stdout, clear one-line errors. */
class GantryCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    static Run run(String... args) {
        CommandLine cl = GantryCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void generateJsonPrintsTheOracleTokensOnOneLine() throws Exception {
        Path model = SharedFiles.stories260K();
        JsonNode oracle = JSON.readTree(SharedFiles.oracle().toFile()).get("cases").get(1);
        Run r = run("generate", "--model", model.toString(), "--prompt", "Once upon a time", "--max-tokens", "48",
                "--temperature", "0", "--json");
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.outLines().size(), "exactly one line on stdout: " + r.out());
        JsonNode line = JSON.readTree(r.outLines().get(0));
        assertEquals(oracle.get("prompt_tokens"), line.get("prompt_tokens"));
        for (int i = 0; i < 48; i++) {
            assertEquals(oracle.get("generated_tokens").get(i).asInt(), line.get("tokens").get(i).asInt(),
                    "token " + i);
        }
        assertEquals(48, line.get("tokens").size());
        assertTrue(oracle.get("generated_text").asText().startsWith(line.get("text").asText()), line.get("text")
                .asText());
    }

    @Test
    void theEmptyPromptIsValid() throws Exception {
        Path model = SharedFiles.stories260K();
        Run r = run("generate", "--model", model.toString(), "--prompt", "", "--max-tokens", "5", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode line = JSON.readTree(r.out());
        assertEquals("[1]", line.get("prompt_tokens").toString());
        assertEquals("[403,407,261,378,432]", line.get("tokens").toString());
        assertEquals(" Once upon a time,", line.get("text").asText());
    }

    @Test
    void synthThenBenchThenGenerateWithSampling() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        Run synth = run("synth", "--shape", "tiny", "--type", "Q8_0", "--out", model.toString(), "--json");
        assertEquals(0, synth.exit(), synth.err());
        JsonNode written = JSON.readTree(synth.out());
        assertEquals("Q8_0", written.get("type").asText());
        assertEquals(Files.size(model), written.get("bytes").asLong());

        Run bench = run("bench", "--model", model.toString(), "--prompt-tokens", "8", "--gen-tokens", "6", "--reps",
                "2", "--threads", "1", "--json");
        assertEquals(0, bench.exit(), bench.err());
        JsonNode figures = JSON.readTree(bench.out());
        assertTrue(figures.get("prefill_tokens_per_s").asDouble() > 0, bench.out());
        assertTrue(figures.get("decode_tokens_per_s").asDouble() > 0, bench.out());
        assertEquals(8, figures.get("prompt_tokens").asInt());

        String[] sampled = {"generate", "--model", model.toString(), "--prompt", "hello world", "--max-tokens", "12",
                "--temperature", "1.0", "--seed", "7", "--json"};
        Run first = run(sampled);
        Run second = run(sampled);
        assertEquals(0, first.exit(), first.err());
        assertEquals(first.out(), second.out(), "a fixed seed repeats its output");
        sampled[sampled.length - 2] = "8";
        assertTrue(!first.out().equals(run(sampled).out()), "another seed gives another sample");
    }

    @Test
    void aPromptsFileIsGeneratedAsOneBatchInInputOrder() throws Exception {
        Path model = SharedFiles.stories260K();
        JsonNode cases = JSON.readTree(SharedFiles.oracle().toFile()).get("cases");
        Path prompts = Files.writeString(dir.resolve("prompts.txt"), "Once upon a time\n\nThe little dog\n");
        Run r = run("generate", "--model", model.toString(), "--prompts-file", prompts.toString(), "--max-tokens",
                "30", "--json");
        assertEquals(0, r.exit(), r.err());
        assertEquals(3, r.outLines().size(), r.out());
        JsonNode first = JSON.readTree(r.outLines().get(0));
        JsonNode empty = JSON.readTree(r.outLines().get(1));
        assertEquals(cases.get(1).get("prompt_tokens"), first.get("prompt_tokens"));
        assertEquals("[1]", empty.get("prompt_tokens").toString(), "a blank line is the empty prompt");
        for (int i = 0; i < 30; i++) {
            assertEquals(cases.get(1).get("generated_tokens").get(i).asInt(), first.get("tokens").get(i).asInt());
            assertEquals(cases.get(0).get("generated_tokens").get(i).asInt(), empty.get("tokens").get(i).asInt());
        }
        Run single = run("generate", "--model", model.toString(), "--prompt", "The little dog", "--max-tokens", "30",
                "--json");
        assertEquals(single.outLines().get(0), r.outLines().get(2), "batched equals alone");
    }

    @Test
    void benchAtConcurrencyReportsTheServingFigures() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        assertEquals(0, run("synth", "--shape", "tiny", "--out", model.toString()).exit());
        Run bench = run("bench", "--model", model.toString(), "--prompt-tokens", "6", "--gen-tokens", "5",
                "--concurrency", "4", "--requests", "8", "--reps", "1", "--threads", "1", "--json");
        assertEquals(0, bench.exit(), bench.err());
        JsonNode f = JSON.readTree(bench.out());
        for (String key : List.of("prefill_tokens_per_s", "decode_tokens_per_s", "generated_tokens_per_s",
                "ttft_s_p50", "ttft_s_p99", "tpot_s_p50", "tpot_s_p99", "kv_usage_peak", "preemptions")) {
            assertTrue(f.has(key), key + " in " + bench.out());
        }
        assertTrue(f.get("generated_tokens_per_s").asDouble() > 0);
        assertTrue(f.get("ttft_s_p99").asDouble() >= f.get("ttft_s_p50").asDouble());
        assertTrue(f.get("kv_usage_peak").asDouble() > 0);
        assertEquals(8, f.get("requests").asInt());
    }

    @Test
    void badInputGivesOneClearLine() throws Exception {
        Run missing = run("generate", "--model", dir.resolve("nope.gguf").toString(), "--prompt", "x");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("nope.gguf"), missing.err());

        Path junk = Files.write(dir.resolve("junk.gguf"), "this is not a model at all".getBytes());
        Run corrupt = run("generate", "--model", junk.toString(), "--prompt", "x");
        assertEquals(1, corrupt.exit());
        assertTrue(corrupt.err().contains("junk.gguf") && corrupt.err().toLowerCase().contains("magic"),
                corrupt.err());
        assertEquals(1, corrupt.err().lines().count(), corrupt.err());

        Path model = dir.resolve("tiny.gguf");
        assertEquals(0, run("synth", "--shape", "tiny", "--out", model.toString()).exit());
        Run unknown = run("generate", "--model", model.toString(), "--prompt", "x", "-D",
                "gantry.attention=magicpig");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("gantry.attention=magicpig") && unknown.err().contains("installed: dense"),
                unknown.err());
    }
}
