package dev.gantry.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service, started as operators start it, driven by the official OpenAI Node client: completions and
 * chat, streamed and not, and its typed errors. On stories260K, greedy completions must reproduce the oracle
 * token for token.
 */
class OpenAiClientEndToEndTest {

    static ServiceProcess service;
    static OpenAiNodeClient client;

    @BeforeAll
    static void start() throws Exception {
        client = OpenAiNodeClient.install();
        service = ServiceProcess.start("openai-client", ProjectFiles.modelSettings())
                .awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    String v1() {
        return service.base().resolve("/v1").toString();
    }

    @Test
    void greedyCompletionsThroughTheClientEqualTheOracle() throws Exception {
        JsonNode oracle = new ObjectMapper().readTree(ProjectFiles.requireOracle().toFile());
        for (JsonNode c : oracle.get("cases")) {
            List<Integer> want = ints(c.get("generated_tokens"));
            JsonNode seen = client.check(v1(), c.get("prompt").asText(), want.size());
            assertEquals(List.of("stories260K"), ints(seen.get("models"), JsonNode::asText));
            assertEquals(want, ints(seen.get("completion").get("tokens")), "tokens of '" + c.get("prompt").asText() + "'");
            assertEquals(c.get("generated_text").asText(), seen.get("completion").get("text").asText());
            assertEquals(c.get("generated_text").asText(), seen.get("completionStream").get("text").asText(),
                    "the streamed text is the same");
            assertEquals(c.get("prompt_tokens").size(), seen.get("completion").get("usage").get("prompt_tokens").asInt());
        }
    }

    @Test
    void completionsAndChatWorkThroughTheClient() throws Exception {
        JsonNode seen = client.check(v1(), "Once upon a time", 24);
        assertEquals(1, seen.get("models").size());

        JsonNode completion = seen.get("completion");
        assertEquals("text_completion", completion.get("object").asText());
        assertEquals(24, completion.get("tokens").size());
        assertEquals("length", completion.get("finishReason").asText());
        JsonNode stream = seen.get("completionStream");
        assertEquals(completion.get("text").asText(), stream.get("text").asText());
        assertEquals("length", stream.get("finishReason").asText());
        assertEquals(24, stream.get("usage").get("completion_tokens").asInt());
        assertTrue(stream.get("chunks").asInt() > 2, "the text arrived in pieces");

        JsonNode chat = seen.get("chat");
        assertEquals("chat.completion", chat.get("object").asText());
        assertEquals("assistant", chat.get("role").asText());
        JsonNode chatStream = seen.get("chatStream");
        assertEquals("assistant", chatStream.get("role").asText());
        assertEquals(chat.get("content").asText(), chatStream.get("content").asText());
        assertEquals(chat.get("finishReason").asText(), chatStream.get("finishReason").asText());
        assertEquals(chat.get("usage").get("completion_tokens").asInt(),
                chatStream.get("usage").get("completion_tokens").asInt());
    }

    @Test
    void errorsReachTheClientAsItsTypedErrors() throws Exception {
        JsonNode seen = client.check(v1(), "Once upon a time", 4);
        JsonNode unknownModel = seen.get("unknownModel");
        assertEquals("NotFoundError", unknownModel.get("name").asText());
        assertEquals(404, unknownModel.get("status").asInt());
        assertEquals("model_not_found", unknownModel.get("code").asText());
        JsonNode badTemperature = seen.get("badTemperature");
        assertEquals("BadRequestError", badTemperature.get("name").asText());
        assertEquals("temperature", badTemperature.get("param").asText());
        JsonNode unknownField = seen.get("unknownField");
        assertEquals(400, unknownField.get("status").asInt());
        assertEquals("frobnicate", unknownField.get("param").asText());
    }

    private static List<Integer> ints(JsonNode array) {
        return ints(array, JsonNode::asInt);
    }

    private static <T> List<T> ints(JsonNode array, java.util.function.Function<JsonNode, T> value) {
        List<T> list = new ArrayList<>();
        array.forEach(n -> list.add(value.apply(n)));
        return list;
    }
}
