package dev.gantry.engine.compute;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every vector kernel agrees with its scalar twin at every width the kernels support, not only the machine's
 * preferred one: the width is a {@code static final} chosen once per JVM, so each width runs
 * {@link ParityAtWidth} in a child JVM with {@code -Dgantry.vector=…}. Widths wider than the machine's are
 * emulated by the JVM: slow, but they must still compute the same results. {@code off} checks that the scalar
 * path is what runs without the Vector API.
 */
class VectorWidthParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"128", "256", "512", "off"})
    void kernelsAgreeWithScalarTwinsAt(String width) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "--add-modules", "jdk.incubator.vector", "-Xss4m",
                "-Dgantry.vector=" + width, "-cp", System.getProperty("java.class.path"),
                ParityAtWidth.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child JVM did not finish");
        assertEquals(0, p.exitValue(), () -> "parity failed at gantry.vector=" + width + ":\n" + output);
        String expected = width.equals("off") ? "parity ok: scalar" : "parity ok: vector " + width + "-bit";
        assertTrue(output.contains(expected), () -> "unexpected child output:\n" + output);
    }
}
