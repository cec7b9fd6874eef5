package dev.gantry.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.llama.LlamaModel;
import dev.gantry.engine.llama.LlamaWeights;
import dev.gantry.engine.testing.SharedFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gantry bench --bandwidth --context N}: the floor figures are consistent with each other and with the
 * model's weights (a decode step reads every weight but only one row of the token embedding), and the context
 * is reported. Rates are checked for being positive only: no timing assertions.
 */
class BenchFloorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void bandwidthAndContextFiguresAreReported() throws Exception {
        Path model = SharedFiles.stories260K();
        GantryCliTest.Run bench = GantryCliTest.run("bench", "--model", model.toString(), "--context", "40",
                "--gen-tokens", "4", "--reps", "1", "--threads", "2", "--bandwidth", "--json");
        assertEquals(0, bench.exit(), bench.err());
        JsonNode f = JSON.readTree(bench.out());

        long expected;
        try (LlamaModel m = LlamaModel.open(model)) {
            LlamaWeights w = m.weights();
            long embedding = w.tokenEmbedding().data().byteSize();
            long row = w.tokenEmbedding().type().bytesFor(w.tokenEmbedding().cols());
            expected = w.parameterBytes() - embedding + row + (w.tiedEmbeddings() ? embedding : 0);
        }
        assertEquals(expected, f.get("weight_bytes_per_token").asLong(), bench.out());
        double bandwidth = f.get("bandwidth_gb_per_s").asDouble();
        double floor = f.get("floor_tokens_per_s").asDouble();
        assertTrue(bandwidth > 0, bench.out());
        assertEquals(bandwidth * 1e9 / expected, floor, floor * 1e-9, "floor = bandwidth / weight bytes");
        assertEquals(f.get("decode_tokens_per_s").asDouble() / floor, f.get("floor_fraction").asDouble(), 1e-9);
        assertEquals(40, f.get("context_tokens").asInt());
        assertEquals(40, f.get("prompt_tokens").asInt());
    }

    @Test
    void aBaselineContextIsMeasuredInTheSameRunWithTheSlowdownItsBytesExplain() throws Exception {
        Path model = SharedFiles.stories260K();
        GantryCliTest.Run bench = GantryCliTest.run("bench", "--model", model.toString(), "--context", "60",
                "--baseline-context", "20", "--gen-tokens", "4", "--reps", "2", "--threads", "2", "--json");
        assertEquals(0, bench.exit(), bench.err());
        JsonNode f = JSON.readTree(bench.out());

        long kvBytes;
        long weightBytes;
        try (LlamaModel m = LlamaModel.open(model)) {
            var c = m.config();
            kvBytes = (long) c.layers() * 2 * c.kvHeads() * c.headDim() * Float.BYTES; // the default f32 codec
            weightBytes = DecodeWeightBytes.of(m.weights());
        }
        assertEquals(20, f.get("baseline_context_tokens").asInt());
        assertEquals(60, f.get("context_tokens").asInt());
        assertEquals(kvBytes, f.get("kv_bytes_per_token").asLong(), bench.out());
        double baseline = f.get("baseline_decode_tokens_per_s").asDouble();
        double decode = f.get("decode_tokens_per_s").asDouble();
        assertTrue(baseline > 0 && decode > 0, bench.out());
        assertEquals(baseline / decode - 1, f.get("context_slowdown").asDouble(), 1e-9);
        assertEquals(40.0 * kvBytes / (weightBytes + 22.0 * kvBytes), f.get("kv_bytes_slowdown").asDouble(), 1e-12);
    }

    @Test
    void aBaselineContextNeedsALongerContext() {
        Path model = SharedFiles.stories260K();
        String m = model.toString();
        for (String[] all : new String[][] {{"bench", "--model", m, "--baseline-context", "20"},
                {"bench", "--model", m, "--context", "20", "--baseline-context", "20"}}) {
            GantryCliTest.Run bench = GantryCliTest.run(all);
            assertEquals(1, bench.exit(), bench.out());
            assertTrue(bench.err().contains("--baseline-context needs --context, and a smaller context"), bench.err());
        }
    }
}
