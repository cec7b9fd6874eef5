package dev.gantry.engine.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared test assets (the trained stories260K model and its reference outputs) that live beside
 * the repository. Tests that need them skip, saying why, when they are absent.
 */
public final class SharedFiles {

    private SharedFiles() {
    }

    /** The shared folder: the {@code gantry.shared.dir} system property, or {@code ../shared}. */
    public static Path dir() {
        String p = System.getProperty("gantry.shared.dir");
        return Path.of(p != null ? p : "../shared").toAbsolutePath().normalize();
    }

    /** A file under the shared folder; the calling test is skipped when it does not exist. */
    public static Path require(String relative) {
        Path file = dir().resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(file), "skipped: " + file + " is not present");
        return file;
    }

    /** The trained tiny Llama. */
    public static Path stories260K() {
        return require("models/stories260K.gguf");
    }

    /** Its greedy reference outputs. */
    public static Path oracle() {
        return require("oracle/stories260K_greedy.json");
    }
}
