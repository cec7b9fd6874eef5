package dev.gantry.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The official OpenAI Node client ({@code openai} 6.49.0, pinned in {@code src/test/node/package.json}), installed
 * with npm into {@code target/openai-client} on first use, running {@code openai-client-check.mjs} against a
 * service. Tests using it are skipped, saying so, on a machine without Node.js.
 */
final class OpenAiNodeClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "openai-client-check.mjs");

    private final Path dir;

    private OpenAiNodeClient(Path dir) {
        this.dir = dir;
    }

    /** The client, installed. */
    static OpenAiNodeClient install() throws IOException, InterruptedException {
        Assumptions.assumeTrue(runs("node", "--version") && runs("npm", "--version"),
                "skipped: Node.js and npm are needed to run the official OpenAI client");
        Path source = ProjectFiles.root().resolve("tests/integration/src/test/node");
        Path dir = ProjectFiles.target().resolve("openai-client");
        Files.createDirectories(dir);
        for (String f : FILES) {
            Files.copy(source.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isRegularFile(dir.resolve("node_modules/openai/package.json"))) {
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--ignore-scripts")
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new AssertionError("npm install of the OpenAI client failed:\n" + output);
            }
        }
        return new OpenAiNodeClient(dir);
    }

    /** Runs the check script against {@code baseUrl} (ending in {@code /v1}) and returns what it printed. */
    JsonNode check(String baseUrl, String prompt, int maxTokens) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "openai-client-check.mjs", baseUrl, prompt,
                String.valueOf(maxTokens)));
        Path stdout = dir.resolve("check.out");
        Path stderr = dir.resolve("check.err");
        Process node = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile()).start();
        if (!node.waitFor(2, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            throw new AssertionError("the OpenAI client did not finish within 2 minutes");
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        if (node.exitValue() != 0) {
            throw new AssertionError("the OpenAI client failed (" + node.exitValue() + "):\n" + err + out);
        }
        return JSON.readTree(out);
    }

    /**
     * Runs a script of our own that imports {@code openai} (copied beside the installed client), with these extra
     * environment variables, and returns its standard output.
     */
    String runScript(Path script, Map<String, String> environment) throws IOException, InterruptedException {
        Path copy = Files.copy(script, dir.resolve(script.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Path stderr = dir.resolve(script.getFileName() + ".err");
        ProcessBuilder builder = new ProcessBuilder("node", copy.getFileName().toString()).directory(dir.toFile())
                .redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        Process node = builder.start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(2, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            throw new AssertionError(script + " did not finish within 2 minutes");
        }
        if (node.exitValue() != 0) {
            throw new AssertionError(script + " failed (" + node.exitValue() + "):\n"
                    + Files.readString(stderr, StandardCharsets.UTF_8) + out);
        }
        return out;
    }

    /** Whether the command runs and exits 0 (a tool's {@code --version}, for assumptions). */
    static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
