package dev.gantry.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example third-party plugin ({@code examples/priority-scheduler}) loaded into the packaged service from a
 * plugin path, as its README tells operators to: no rebuild of Gantry, the directory given by the environment
 * variable {@code GANTRY_PLUGIN_PATH}, the plugin selected and configured by its settings. And a jar that is not a
 * usable plugin stops start-up with a message naming it.
 */
class PluginPathEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theExamplePluginServesFromThePluginPath() throws Exception {
        Path plugins = freshDir("plugin-path");
        Path jar = Files.copy(examplePluginJar(), plugins.resolve("priority-scheduler-1.0.0.jar"),
                StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> settings = new HashMap<>(Map.of("gantry.scheduler", "priority",
                "gantry.plugin.priority.aging-steps", "128"));
        settings.putAll(ProjectFiles.modelSettings());
        try (ServiceProcess service = ServiceProcess.start("plugin-path", settings,
                Map.of("GANTRY_PLUGIN_PATH", plugins.toString())).awaitReady(Duration.ofSeconds(90))) {
            JsonNode listing = JSON.readTree(service.get("/v1/plugins").body());
            JsonNode priority = plugin(listing, "priority");
            assertNotNull(priority, "the example plugin is listed: " + listing);
            assertEquals("1.0.0", priority.get("version").asText());
            assertEquals(jar.toAbsolutePath().toString(), priority.get("source").asText());
            assertEquals("bundled", plugin(listing, "baseline").get("source").asText());
            assertEquals("priority/priority", listing.get("active").get("scheduler").asText());
            assertTrue(service.log().contains("priority 1.0.0 (" + jar.toAbsolutePath() + ")"),
                    "the start-up log names the plugin and its jar");

            var response = service.post("/v1/completions",
                    "{\"prompt\":\"Once upon a time\",\"max_tokens\":12,\"temperature\":0}");
            assertEquals(200, response.statusCode(), response.body());
            JsonNode choice = JSON.readTree(response.body()).get("choices").get(0);
            assertEquals("length", choice.get("finish_reason").asText());
            assertFalse(choice.get("text").asText().isEmpty());
        }
    }

    @Test
    void aJarWithoutTheSpiVersionStopsStartUpNamingIt() throws Exception {
        Path plugins = freshDir("plugin-path-broken");
        Path jar = plugins.resolve("not-a-plugin.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry("README.txt"));
            jarOut.write("nothing here".getBytes());
            jarOut.closeEntry();
        }
        try (ServiceProcess service = ServiceProcess.start("plugin-path-broken",
                Map.of("gantry.plugin-path", plugins.toString()))) {
            assertTrue(service.awaitExit(Duration.ofSeconds(90)), "the service stops instead of serving");
            assertTrue(service.process().exitValue() != 0, "with a failure exit code");
            String log = service.log();
            assertTrue(log.contains(jar.toAbsolutePath().toString()) && log.contains("Gantry-SPI-Version"),
                    "the error names the jar and what is missing:\n" + log);
        }
    }

    private static JsonNode plugin(JsonNode listing, String name) {
        for (JsonNode p : listing.get("installed")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static Path examplePluginJar() {
        Path jar = ProjectFiles.root().resolve("examples/priority-scheduler/target/priority-scheduler-1.0.0.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: the reactor builds the example before these tests");
        return jar;
    }

    private static Path freshDir(String name) throws IOException {
        Path dir = ProjectFiles.target().resolve(name);
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
        return Files.createDirectories(dir);
    }
}
