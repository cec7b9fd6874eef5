package dev.gantry.plugins.baseline.attention;

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
 * Dense attention matches the textbook computation at every vector width its kernels take, and with the plain
 * loops alone ({@code off}): the width is fixed once per JVM, so each runs {@link AttentionAtWidth} in a child
 * JVM with {@code -Dgantry.vector=…}. A width wider than the machine's is emulated by the JVM: slow, but it must
 * compute the same.
 */
class DenseAttentionVectorWidthTest {

    @ParameterizedTest
    @ValueSource(strings = {"128", "256", "512", "off"})
    void matchesTextbookAttentionAt(String width) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "--add-modules", "jdk.incubator.vector", "-Dgantry.vector=" + width,
                "-cp", System.getProperty("java.class.path"), AttentionAtWidth.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child JVM did not finish");
        assertEquals(0, p.exitValue(), () -> "attention failed at gantry.vector=" + width + ":\n" + output);
        String expected = "attention ok: " + (width.equals("off") ? "scalar" : "vector");
        assertTrue(output.contains(expected), () -> "unexpected child output:\n" + output);
    }
}
