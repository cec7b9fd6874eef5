package dev.gantry.helm;

import java.nio.file.Path;

/** Where the chart tests find the chart, the packaged service and their own working files. */
final class ProjectFiles {

    private ProjectFiles() {
    }

    /** The repository root. */
    static Path root() {
        String p = System.getProperty("project.root");
        return Path.of(p != null ? p : "../..").toAbsolutePath().normalize();
    }

    /** The chart. */
    static Path chart() {
        return root().resolve("helm/gantry");
    }

    /** This module's build folder. */
    static Path target() {
        return root().resolve("tests/helm/target");
    }
}
