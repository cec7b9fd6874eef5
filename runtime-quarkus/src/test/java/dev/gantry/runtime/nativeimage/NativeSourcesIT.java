package dev.gantry.runtime.nativeimage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks what {@code ./mvnw package -Pnative -Dquarkus.native.sources-only=true} generates, the input of
 * {@code native-image}: the bundled plugins' service file reaches the image as a resource and its providers as
 * reflectively instantiable classes, the JSON records are registered, and the substitutions, the Jinjava feature and
 * the shared-arena option are part of the build. Run by failsafe in the {@code native} profile, after the build.
 */
class NativeSourcesIT {

    private static final String SERVICE_FILE = "META-INF/services/dev.gantry.spi.GantryPlugin";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path sources;
    private static Path runnerJar;

    @BeforeAll
    static void locate() throws IOException {
        Path build = Path.of(System.getProperty("native.build.dir", "target"));
        Path dir = build.resolve("native-sources");
        if (!Files.isDirectory(dir)) {
            // A full native build leaves the same inputs in <artifact>-native-image-source-jar.
            try (Stream<Path> entries = Files.list(build)) {
                dir = entries.filter(p -> p.getFileName().toString().endsWith("-native-image-source-jar"))
                        .findFirst().orElseThrow(() -> new AssertionError("no native sources under " + build
                                + ": run ./mvnw package -Pnative -Dquarkus.native.sources-only=true"));
            }
        }
        sources = dir;
        try (Stream<Path> entries = Files.list(dir)) {
            runnerJar = entries.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no runner jar in " + sources));
        }
    }

    @Test
    void thePluginServiceFileIsAnImageResourceAndItsProvidersAreInstantiable() throws IOException {
        Path pluginJar = library("dev.gantry.gantry-plugin-baseline-");
        List<String> providers = new ArrayList<>();
        try (JarFile jar = new JarFile(pluginJar.toFile())) {
            ZipEntry entry = jar.getEntry(SERVICE_FILE);
            assertTrue(entry != null, pluginJar + " has no " + SERVICE_FILE);
            try (InputStream in = jar.getInputStream(entry)) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(providers::add);
            }
        }
        assertEquals(List.of("dev.gantry.plugins.baseline.BaselinePlugin"), providers);

        assertTrue(resourceIncluded(SERVICE_FILE), SERVICE_FILE + " is not an image resource");
        assertTrue(resourceIncluded("dev/gantry/runtime/chat/fallback-chat-template.jinja"));
        for (String provider : providers) {
            JsonNode registration = reflection(provider).orElseThrow(
                    () -> new AssertionError(provider + " is not registered for reflection"));
            assertTrue(registration.path("allDeclaredConstructors").asBoolean()
                    || registration.path("allPublicConstructors").asBoolean()
                    || registration.path("methods").toString().contains("<init>"),
                    provider + " cannot be instantiated reflectively: " + registration);
        }
    }

    @Test
    void theJsonRecordsAndTheChatTemplateFunctionAreRegistered() throws IOException {
        for (String type : List.of("CompletionRequest", "CompletionResponse", "ChatCompletionRequest",
                "ChatCompletionResponse", "ChatCompletionChunk", "ChatMessage", "ErrorResponse", "ModelList",
                "ModelList$Model", "PluginListing", "PluginListing$InstalledPlugin", "UsageInfo", "TokenizeRequest",
                "TokenizeResponse", "DetokenizeRequest", "DetokenizeResponse")) {
            String name = "dev.gantry.runtime.rest.api." + type;
            assertTrue(reflection(name).isPresent(), name + " is not registered for reflection");
        }
        JsonNode template = reflection("dev.gantry.runtime.chat.ChatTemplate").orElseThrow();
        assertTrue(template.path("allDeclaredMethods").asBoolean() || template.path("allPublicMethods").asBoolean()
                || template.path("methods").toString().contains("raiseException"), template.toString());
    }

    @Test
    void theSubstitutionsFeatureAndImageOptionsArePartOfTheBuild() throws IOException {
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            for (String type : List.of("Target_VectorWidth", "Target_PluginDiscovery", "JinjavaLibraryFeature",
                    "NativeImageLimits")) {
                String entry = "dev/gantry/runtime/nativeimage/" + type + ".class";
                assertTrue(jar.getEntry(entry) != null, entry + " is not in " + runnerJar.getFileName());
            }
        }
        String args = Files.readString(sources.resolve("native-image.args"));
        assertTrue(args.contains("dev.gantry.runtime.nativeimage.JinjavaLibraryFeature"), args);
        assertTrue(args.contains("-H:+SharedArenaSupport"), args);
        // The builder classes of the GraalVM SDK come from the builder, not from the application.
        try (Stream<Path> libs = Files.list(sources.resolve("lib"))) {
            assertFalse(libs.anyMatch(p -> p.getFileName().toString().startsWith("org.graalvm.sdk.")));
        }
    }

    private static Path library(String prefix) throws IOException {
        try (Stream<Path> libs = Files.list(sources.resolve("lib"))) {
            return libs.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "* in " + sources.resolve("lib")));
        }
    }

    private static JsonNode runnerJson(String entryName) throws IOException {
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            ZipEntry entry = jar.getEntry(entryName);
            assertTrue(entry != null, entryName + " is not in " + runnerJar.getFileName());
            try (InputStream in = jar.getInputStream(entry)) {
                return JSON.readTree(in);
            }
        }
    }

    private static Optional<JsonNode> reflection(String className) throws IOException {
        for (JsonNode registration : runnerJson("META-INF/native-image/reflect-config.json")) {
            if (className.equals(registration.path("name").asText())) {
                return Optional.of(registration);
            }
        }
        return Optional.empty();
    }

    private static boolean resourceIncluded(String resource) throws IOException {
        JsonNode config = runnerJson("META-INF/native-image/resource-config.json");
        for (JsonNode include : config.path("resources").path("includes")) {
            if (Pattern.compile(include.path("pattern").asText()).matcher(resource).matches()) {
                return true;
            }
        }
        for (JsonNode glob : config.path("globs")) {
            String regex = Pattern.quote(glob.path("glob").asText()).replace("*", "\\E[^/]*\\Q");
            if (resource.matches(regex)) {
                return true;
            }
        }
        return false;
    }
}
