package dev.gantry.spi.compat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build's SPI compatibility check: the SPI being built keeps every stable promise of the last release (the
 * baseline jar in {@code compat/}), apart from the breaks accepted in {@code compat/accepted-breaks.txt}. See
 * {@code README.md} for the version policy.
 */
class SpiCompatibilityTest {

    @TempDir
    Path dir;

    @Test
    void theSpiBeingBuiltKeepsTheStablePromisesOfTheLastRelease() {
        Path baseline = SpiBuild.baseline();
        assertTrue(Files.isRegularFile(baseline), "the baseline jar " + baseline.toAbsolutePath() + " is missing");
        Path current = ClassesJar.of(SpiBuild.classes(), dir.resolve("current.jar"));
        List<SpiCompatibilityCheck.Break> breaks = SpiCompatibilityCheck.breaks(baseline, current,
                SpiCompatibilityCheck.accepted(SpiBuild.acceptedBreaks()));
        assertTrue(breaks.isEmpty(), () -> breaks.size() + " change(s) break the stable SPI of "
                + baseline.getFileName() + ":\n  " + breaks.stream().map(Object::toString)
                .collect(Collectors.joining("\n  ")) + "\nKeep the old element (deprecate it), or, for the next "
                + "release, add a line 'element | CHANGE | reason' to " + SpiBuild.acceptedBreaks() + ":\n  "
                + breaks.stream().map(b -> b.key() + " | <why>").collect(Collectors.joining("\n  ")));
    }
}
