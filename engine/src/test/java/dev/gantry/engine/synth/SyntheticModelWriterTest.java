package dev.gantry.engine.synth;

import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.gguf.GgufMetadata;
import dev.gantry.engine.gguf.GgufTensorInfo;
import dev.gantry.engine.gguf.GgufValueType;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Synthetic Llama models written by {@link SyntheticModelWriter}, reopened with {@link GgufFile}. */
class SyntheticModelWriterTest {

    @TempDir
    Path dir;

    /** Every tensor a llama GGUF of this shape must hold, with its shape and type, in file order. */
    private static Map<String, Object[]> expectedTensors(ModelShape s) {
        Map<String, Object[]> m = new LinkedHashMap<>();
        GgmlType w = s.weightType();
        if (s.llama3RopeScaling()) {
            m.put("rope_freqs.weight", new Object[]{new long[]{s.headDim() / 2}, GgmlType.F32});
        }
        m.put("token_embd.weight", new Object[]{new long[]{s.dim(), s.vocabSize()}, w});
        m.put("output_norm.weight", new Object[]{new long[]{s.dim()}, GgmlType.F32});
        if (!s.tiedEmbeddings()) {
            m.put("output.weight", new Object[]{new long[]{s.dim(), s.vocabSize()}, w});
        }
        for (int l = 0; l < s.layers(); l++) {
            String b = "blk." + l + ".";
            m.put(b + "attn_norm.weight", new Object[]{new long[]{s.dim()}, GgmlType.F32});
            m.put(b + "attn_q.weight", new Object[]{new long[]{s.dim(), s.dim()}, w});
            m.put(b + "attn_k.weight", new Object[]{new long[]{s.dim(), s.kvDim()}, w});
            m.put(b + "attn_v.weight", new Object[]{new long[]{s.dim(), s.kvDim()}, w});
            m.put(b + "attn_output.weight", new Object[]{new long[]{s.dim(), s.dim()}, w});
            m.put(b + "ffn_norm.weight", new Object[]{new long[]{s.dim()}, GgmlType.F32});
            m.put(b + "ffn_gate.weight", new Object[]{new long[]{s.dim(), s.ffnDim()}, w});
            m.put(b + "ffn_up.weight", new Object[]{new long[]{s.dim(), s.ffnDim()}, w});
            m.put(b + "ffn_down.weight", new Object[]{new long[]{s.ffnDim(), s.dim()}, w});
        }
        return m;
    }

    private static void assertTensors(GgufFile f, ModelShape s) {
        Map<String, Object[]> expected = expectedTensors(s);
        assertEquals(List.copyOf(expected.keySet()), f.tensorInfos().stream().map(GgufTensorInfo::name).toList());
        expected.forEach((name, shapeAndType) -> {
            Tensor t = f.requireTensor(name);
            assertArrayEquals((long[]) shapeAndType[0], t.shape(), name);
            assertEquals(shapeAndType[1], t.type(), name);
        });
    }

    private static void assertMetadata(GgufMetadata m, ModelShape s) {
        assertEquals("llama", m.getString("general.architecture"));
        assertEquals(s.name(), m.getString("general.name"));
        assertEquals(s.contextLength(), m.getInt("llama.context_length"));
        assertEquals(s.dim(), m.getInt("llama.embedding_length"));
        assertEquals(s.layers(), m.getInt("llama.block_count"));
        assertEquals(s.ffnDim(), m.getInt("llama.feed_forward_length"));
        assertEquals(s.heads(), m.getInt("llama.attention.head_count"));
        assertEquals(s.kvHeads(), m.getInt("llama.attention.head_count_kv"));
        assertEquals(s.headDim(), m.getInt("llama.rope.dimension_count"));
        assertEquals(s.ropeTheta(), (float) m.getDouble("llama.rope.freq_base"));
        assertEquals(s.rmsEps(), (float) m.getDouble("llama.attention.layer_norm_rms_epsilon"));
        assertEquals(s.vocabSize(), m.getInt("llama.vocab_size"));
        for (String key : List.of("llama.context_length", "llama.embedding_length", "llama.block_count",
                "llama.feed_forward_length", "llama.attention.head_count", "llama.attention.head_count_kv",
                "llama.rope.dimension_count", "llama.vocab_size", "tokenizer.ggml.bos_token_id")) {
            assertEquals(GgufValueType.UINT32, m.entries().get(key).type(), key + " is a UINT32, as llama.cpp writes it");
        }
        assertEquals(GgufValueType.FLOAT32, m.entries().get("llama.rope.freq_base").type());
        assertEquals(GgufValueType.FLOAT32, m.entries().get("llama.attention.layer_norm_rms_epsilon").type());

        assertEquals("llama", m.getString("tokenizer.ggml.model"));
        List<String> tokens = m.getStringList("tokenizer.ggml.tokens");
        assertEquals(s.vocabSize(), tokens.size());
        assertEquals(s.vocabSize(), new HashSet<>(tokens).size(), "tokens are unique");
        assertEquals(List.of("<unk>", "<s>", "</s>", "<0x00>"), tokens.subList(0, 4));
        assertEquals(s.vocabSize(), m.getFloatArray("tokenizer.ggml.scores").length);
        int[] types = m.getIntArray("tokenizer.ggml.token_type");
        assertEquals(List.of(2, 3, 3, 6), List.of(types[0], types[1], types[2], types[3]));
        assertEquals(GgufValueType.INT32, m.getArray("tokenizer.ggml.token_type").elementType());
        assertEquals(1, m.getInt("tokenizer.ggml.bos_token_id"));
        assertEquals(2, m.getInt("tokenizer.ggml.eos_token_id"));
        assertEquals(0, m.getInt("tokenizer.ggml.unknown_token_id"));
        assertTrue(m.getBoolean("tokenizer.ggml.add_bos_token"));
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void tinyIsCompleteInEveryTypeItsRowsAllow(GgmlType type) {
        ModelShape shape = ModelShapes.TINY.withWeightType(type);
        Path file = dir.resolve("tiny-" + type + ".gguf");
        SyntheticModelWriter.write(shape, 1, file);
        try (GgufFile f = GgufFile.open(file)) {
            assertTensors(f, shape);
            assertMetadata(f.metadata(), shape);
        }
    }

    @Test
    void tiedEmbeddingsHaveNoOutputMatrix() {
        ModelShape shape = ModelShapes.TINY.withTiedEmbeddings(true);
        Path file = dir.resolve("tied.gguf");
        SyntheticModelWriter.write(shape, 1, file);
        try (GgufFile f = GgufFile.open(file)) {
            assertTrue(f.tensor("output.weight").isEmpty());
            assertTensors(f, shape);
        }
    }

    @Test
    void ropeScalingWritesTheFactorTensor() {
        ModelShape shape = ModelShapes.TINY.withLlama3RopeScaling(true);
        Path file = dir.resolve("rope.gguf");
        SyntheticModelWriter.write(shape, 1, file);
        try (GgufFile f = GgufFile.open(file)) {
            assertTensors(f, shape);
            assertArrayEquals(Llama3RopeScaling.factors(shape.headDim(), shape.ropeTheta()),
                    f.requireTensor("rope_freqs.weight").toFloatArray());
        }
        Path plain = dir.resolve("plain.gguf");
        SyntheticModelWriter.write(ModelShapes.TINY, 1, plain);
        try (GgufFile f = GgufFile.open(plain)) {
            assertTrue(f.tensor("rope_freqs.weight").isEmpty());
        }
    }

    @Test
    void oddDimensionsWorkForPlainTypes() {
        ModelShape odd = new ModelShape("odd", 30, 1, 3, 1, 47, 333, 64, 10000f, 1e-6f, false, GgmlType.F32, false);
        for (GgmlType type : List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16)) {
            ModelShape shape = odd.withWeightType(type);
            Path file = dir.resolve("odd-" + type + ".gguf");
            SyntheticModelWriter.write(shape, 9, file);
            try (GgufFile f = GgufFile.open(file)) {
                assertTensors(f, shape);
                assertMetadata(f.metadata(), shape);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameFileAndAnotherSeedAnother() throws IOException {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        Path c = dir.resolve("c.gguf");
        SyntheticModelWriter.write(ModelShapes.TINY, 7, a);
        SyntheticModelWriter.write(ModelShapes.TINY, 7, b);
        SyntheticModelWriter.write(ModelShapes.TINY, 8, c);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)));
    }

    @Test
    void weightsAreScaledByFanInAndNormsAreNearOne() {
        ModelShape shape = ModelShapes.STORIES_260K;
        Path file = dir.resolve("stats.gguf");
        SyntheticModelWriter.write(shape, 3, file);
        try (GgufFile f = GgufFile.open(file)) {
            for (String name : List.of("token_embd.weight", "blk.0.attn_q.weight", "blk.4.ffn_down.weight")) {
                Tensor t = f.requireTensor(name);
                double expected = 1 / Math.sqrt(t.shape()[0]);
                double std = std(t.toFloatArray());
                assertEquals(expected, std, expected * 0.1, name + " standard deviation");
            }
            for (float v : f.requireTensor("blk.2.ffn_norm.weight").toFloatArray()) {
                assertTrue(v > 0.89f && v < 1.11f, "norm weight " + v);
            }
        }
    }

    @Test
    void weightsDoNotDependOnTheEncodingOrOnOtherTensors() {
        Path f32 = dir.resolve("f32.gguf");
        Path tied = dir.resolve("tied-bf16.gguf");
        SyntheticModelWriter.write(ModelShapes.TINY, 5, f32);
        SyntheticModelWriter.write(ModelShapes.TINY.withTiedEmbeddings(true).withWeightType(GgmlType.BF16), 5, tied);
        try (GgufFile a = GgufFile.open(f32); GgufFile b = GgufFile.open(tied)) {
            float[] x = a.requireTensor("blk.1.ffn_up.weight").toFloatArray();
            float[] y = b.requireTensor("blk.1.ffn_up.weight").toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], Math.abs(x[i]) / 128 + 1e-7f, "element " + i);
            }
        }
    }

    private static double std(float[] v) {
        double sum = 0;
        double sq = 0;
        for (float x : v) {
            sum += x;
            sq += (double) x * x;
        }
        double mean = sum / v.length;
        return Math.sqrt(sq / v.length - mean * mean);
    }
}
