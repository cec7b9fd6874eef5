package dev.gantry.runtime.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.runtime.rest.api.ChatCompletionRequest;
import dev.gantry.runtime.rest.api.ChatCompletionResponse;
import dev.gantry.runtime.serving.GenerationRun;
import dev.gantry.runtime.serving.ServedModel;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/chat/completions}, as OpenAI defines it: the conversation is rendered with the model's chat
 * template (the fallback template when its GGUF file has none) and continued as the assistant, in one JSON
 * response or as streamed deltas.
 */
@Path("/v1/chat/completions")
public class ChatCompletionsResource {

    @Inject
    RequestAdmission admission;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
    @RunOnVirtualThread
    @Operation(summary = "Creates a model response for the conversation (OpenAI-compatible)")
    public Response create(ChatCompletionRequest request, @Context HttpServerResponse http) {
        long arrival = System.nanoTime();
        if (request == null) {
            throw OpenAiException.invalid(null, "the request body must be a JSON object");
        }
        request.requireSupported();
        ServedModel model = admission.model(request.model());
        int[] prompt = ChatPrompts.encode(model, request.messages(), true);
        admission.checkPrompt(model, prompt, "messages");
        // Without a length, the reply may run to the end of the context, as OpenAI's and vLLM's do.
        int maxTokens = admission.maxTokens(model, request.requestedMaxTokens(), request.maxTokensField(),
                model.contextLength() - prompt.length);
        SamplingParams first = OpenAiSampling.params(request, maxTokens, request.logprobCount());
        int n = request.choices();
        List<GenerationRequest> generations = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            generations.add(new GenerationRequest(null, prompt, OpenAiSampling.forChoice(first, i), 0));
        }
        GenerationRun run = admission.submit(model, generations, arrival, "messages");

        String id = ResponseIds.next("chatcmpl-");
        long created = Instant.now().getEpochSecond();
        boolean logprobs = request.logprobCount() != null;
        boolean tokenIds = Boolean.TRUE.equals(request.returnTokensAsTokenIds());
        if (request.streaming()) {
            StreamFormat format = new ChatStreamFormat(id, created, model.name(), logprobs, tokenIds, model.tokenizer());
            return EventStreamResponses.of(new GenerationEventStream(run, format, n, request.includeUsage(), json,
                    http));
        }
        List<GenerationResult> results = AwaitedResults.of(run, http);
        List<ChatCompletionResponse.Choice> choices = new ArrayList<>(results.size());
        UsageTally usage = new UsageTally(n);
        for (int c = 0; c < results.size(); c++) {
            GenerationResult r = results.get(c);
            choices.add(new ChatCompletionResponse.Choice(c,
                    new ChatCompletionResponse.Message("assistant", r.text(), null),
                    logprobs ? OpenAiLogprobs.chat(model.tokenizer(), r.logprobs(), tokenIds) : null,
                    r.finishReason().wireName()));
            usage.add(c, r.usage());
        }
        return Response.ok(new ChatCompletionResponse(id, ChatCompletionResponse.OBJECT, created, model.name(),
                choices, usage.total(), null), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
