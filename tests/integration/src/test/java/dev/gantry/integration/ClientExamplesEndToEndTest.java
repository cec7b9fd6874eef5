package dev.gantry.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client examples of {@code examples/clients}, run as a user runs them against the packaged service: the curl
 * script and the OpenAI Node client script. On stories260K their greedy completion is the oracle's text.
 */
class ClientExamplesEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLES = ProjectFiles.root().resolve("examples/clients");

    static ServiceProcess service;

    @BeforeAll
    static void start() throws Exception {
        service = ServiceProcess.start("client-examples", ProjectFiles.modelSettings())
                .awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void curlScriptListsCompletesAndStreams() throws Exception {
        Assumptions.assumeTrue(OpenAiNodeClient.runs("curl", "--version"), "skipped: curl is not installed");
        List<String> lines = run(List.of("bash", EXAMPLES.resolve("curl.sh").toString()));
        JsonNode models = JSON.readTree(lines.get(0));
        String model = models.get("data").get(0).get("id").asText();
        JsonNode completion = JSON.readTree(lines.get(1));
        assertEquals(model, completion.get("model").asText());
        assertGreedyText(completion.get("choices").get(0).get("text").asText());
        List<String> events = lines.subList(2, lines.size()).stream().filter(l -> l.startsWith("data: ")).toList();
        assertEquals("data: [DONE]", events.getLast(), "the stream ends with [DONE]");
        StringBuilder chat = new StringBuilder();
        for (String event : events.subList(0, events.size() - 1)) {
            JsonNode delta = JSON.readTree(event.substring("data: ".length())).get("choices").get(0).get("delta");
            if (delta.has("content") && !delta.get("content").isNull()) {
                chat.append(delta.get("content").asText());
            }
        }
        assertFalse(chat.isEmpty(), "the streamed chat completion has text");
    }

    @Test
    void openAiNodeScriptListsCompletesAndStreams() throws Exception {
        OpenAiNodeClient client = OpenAiNodeClient.install();
        String out = client.runScript(EXAMPLES.resolve("openai-node.mjs"),
                Map.of("GANTRY_URL", service.base().resolve("/v1").toString()));
        List<JsonNode> steps = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            steps.add(JSON.readTree(line));
        }
        assertEquals(List.of("models", "completion", "chat-stream"), steps.stream().map(s -> s.get("step").asText())
                .toList());
        assertGreedyText(steps.get(1).get("text").asText());
        assertEquals("length", steps.get(1).get("finish_reason").asText());
        assertEquals(32, steps.get(1).get("usage").get("completion_tokens").asInt());
        assertFalse(steps.get(2).get("text").asText().isEmpty(), "the streamed chat completion has text");
    }

    /** On stories260K the greedy text is the oracle's first 32 tokens' text; on the demo model, some text. */
    private static void assertGreedyText(String text) throws IOException {
        assertFalse(text.isEmpty());
        if (ProjectFiles.stories260K().isEmpty()) {
            return;
        }
        JsonNode oracle = JSON.readTree(ProjectFiles.requireOracle().toFile());
        for (JsonNode c : oracle.get("cases")) {
            if (c.get("prompt").asText().equals("Once upon a time")) {
                String full = c.get("generated_text").asText();
                assertTrue(full.startsWith(text) && c.get("generated_tokens").size() >= 32,
                        "greedy text '" + text + "' is the oracle's continuation '" + full + "'");
                return;
            }
        }
        throw new AssertionError("the oracle has no 'Once upon a time' case");
    }

    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GANTRY_URL", service.base().resolve("/v1").toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the example finished");
        assertEquals(0, p.exitValue(), "the example failed:\n" + out);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
