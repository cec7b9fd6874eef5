package dev.gantry.runtime.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The shared test assets beside the repository (the trained stories260K model and its greedy reference
 * outputs), found through the {@code shared.dir} system property the build sets. Tests that need them skip,
 * saying why, when they are absent.
 */
public final class SharedAssets {

    private SharedAssets() {
    }

    /** The shared folder. */
    public static Path dir() {
        String p = System.getProperty("shared.dir");
        return Path.of(p != null ? p : "../../shared").toAbsolutePath().normalize();
    }

    /** The trained model, when present. */
    public static Optional<Path> stories260K() {
        Path file = dir().resolve("models/stories260K.gguf");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** The trained model; the calling test is skipped when it is absent. */
    public static Path requireStories260K() {
        Optional<Path> file = stories260K();
        Assumptions.assumeTrue(file.isPresent(), "skipped: " + dir().resolve("models/stories260K.gguf")
                + " is not present");
        return file.get();
    }

    /** The greedy reference outputs; the calling test is skipped when they are absent. */
    public static Path requireOracle() {
        requireStories260K();
        Path file = dir().resolve("oracle/stories260K_greedy.json");
        Assumptions.assumeTrue(Files.isRegularFile(file), "skipped: " + file + " is not present");
        return file;
    }
}
