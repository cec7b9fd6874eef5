package dev.gantry.spi.compat;

import java.nio.file.Path;

/**
 * Where the build keeps what the compatibility check compares: the released baseline jar, the accepted breaks and
 * the classes being built. Maven passes them as system properties; the defaults work from the module directory.
 */
final class SpiBuild {

    private SpiBuild() {
    }

    static Path baseline() {
        return Path.of(System.getProperty("gantry.spi.baseline", "compat/gantry-sdk-api-0.1.0.jar"));
    }

    static Path acceptedBreaks() {
        return Path.of(System.getProperty("gantry.spi.accepted-breaks", "compat/accepted-breaks.txt"));
    }

    static Path classes() {
        return Path.of(System.getProperty("gantry.spi.classes", "target/classes"));
    }
}
