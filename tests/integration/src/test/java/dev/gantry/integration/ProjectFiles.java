package dev.gantry.integration;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Where the end-to-end tests find the packaged service, the shared assets and their own working files. */
final class ProjectFiles {

    private ProjectFiles() {
    }

    /** The repository root. */
    static Path root() {
        String p = System.getProperty("project.root");
        return Path.of(p != null ? p : "../..").toAbsolutePath().normalize();
    }

    /** This module's build folder. */
    static Path target() {
        return root().resolve("tests/integration/target");
    }

    /**
     * The packaged service; the reactor builds it before these tests run.
     *
     * @throws AssertionError when it is missing, saying how to build it
     */
    static Path serviceJar() {
        Path jar = root().resolve("runtime-quarkus/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: build the service first (./mvnw -pl tests/integration -am"
                    + " verify builds it)");
        }
        return jar;
    }

    /** The trained stories260K model, when the shared assets are present. */
    static Optional<Path> stories260K() {
        Path file = sharedDir().resolve("models/stories260K.gguf");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** The service setting that serves stories260K when it is present; none (the demo model) otherwise. */
    static Map<String, String> modelSettings() {
        return stories260K().map(p -> Map.of("gantry.model.path", p.toString())).orElse(Map.of());
    }

    /** Its greedy reference outputs; the calling test is skipped when they are absent. */
    static Path requireOracle() {
        Path file = sharedDir().resolve("oracle/stories260K_greedy.json");
        Assumptions.assumeTrue(stories260K().isPresent() && Files.isRegularFile(file),
                "skipped: the shared stories260K model and oracle are not present under " + sharedDir());
        return file;
    }

    private static Path sharedDir() {
        String p = System.getProperty("gantry.shared.dir");
        return Path.of(p != null ? p : root().resolve("../shared").toString()).toAbsolutePath().normalize();
    }
}
