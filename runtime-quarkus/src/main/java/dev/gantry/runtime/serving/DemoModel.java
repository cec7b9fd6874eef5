package dev.gantry.runtime.serving;

import dev.gantry.engine.synth.ModelShapes;
import dev.gantry.engine.synth.SyntheticModelWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model served when no model file is configured: the {@code tiny} Llama shape with random weights and a
 * working tokenizer, written on the fly by the project's GGUF writer. It lets the service start on a fresh
 * machine with nothing downloaded; its output is meaningless.
 */
public final class DemoModel {

    /** The demo model's name in the API. */
    public static final String NAME = "gantry-demo";

    private static final long SEED = 20261123L;

    private DemoModel() {
    }

    /** Writes the demo model to a temporary file, removed when the JVM exits. */
    static Path write() {
        try {
            Path file = Files.createTempFile("gantry-demo-", ".gguf");
            file.toFile().deleteOnExit();
            SyntheticModelWriter.write(ModelShapes.TINY, SEED, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("the demo model could not be written: " + e.getMessage(), e);
        }
    }
}
