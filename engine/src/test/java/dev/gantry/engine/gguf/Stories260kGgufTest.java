package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trained stories260K model from the shared folder, read with {@link GgufFile} (a file llama.cpp wrote). */
class Stories260kGgufTest {

    @TempDir
    Path dir;

    private static Path model() {
        String shared = System.getProperty("gantry.shared.dir", "../shared");
        Path file = Path.of(shared, "models", "stories260K.gguf");
        Assumptions.assumeTrue(Files.isRegularFile(file),
                "skipped: " + file + " is absent (the shared folder is not next to this checkout)");
        return file;
    }

    @Test
    void opensWithTheExpectedTensorsAndMetadata() {
        try (GgufFile f = GgufFile.open(model())) {
            assertEquals(3, f.version());
            assertEquals(48, f.tensorInfos().size());
            assertEquals(64, f.metadata().getInt("llama.embedding_length"));
            assertEquals("llama", f.metadata().getString("general.architecture"));
            assertEquals(512, f.metadata().getStringList("tokenizer.ggml.tokens").size());
            assertEquals(512, f.metadata().getFloatArray("tokenizer.ggml.scores").length);

            Tensor k = f.requireTensor("blk.0.attn_k.weight");
            assertArrayEquals(new long[]{64, 32}, k.shape());
            assertEquals(GgmlType.F32, k.type());
            for (GgufTensorInfo info : f.tensorInfos()) {
                Tensor t = f.requireTensor(info.name());
                for (float v : t.toFloatArray()) {
                    assertTrue(Float.isFinite(v), info.name());
                }
            }
        }
    }

    @Test
    void rewritingEveryEntryAndTensorReproducesTheFileByteForByte() throws IOException {
        Path original = model();
        Path copy = dir.resolve("copy.gguf");
        try (GgufFile f = GgufFile.open(original)) {
            GgufWriter w = new GgufWriter();
            f.metadata().entries().forEach((key, e) -> w.put(key, e.type(), e.value()));
            for (GgufTensorInfo info : f.tensorInfos()) {
                Tensor t = f.requireTensor(info.name());
                w.addTensor(t.name(), t.type(), t.shape(), t.data());
            }
            w.write(copy);
        }
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy));
    }
}
