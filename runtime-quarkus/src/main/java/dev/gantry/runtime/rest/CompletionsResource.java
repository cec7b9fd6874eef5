package dev.gantry.runtime.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.runtime.rest.api.CompletionRequest;
import dev.gantry.runtime.rest.api.CompletionResponse;
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
 * {@code POST /v1/completions}, as OpenAI defines it: text for one or more prompts, {@code n} choices each, as
 * one JSON response or streamed as server-sent events. With temperature 0 the text is exactly what
 * {@code ./gantry generate} prints for the same prompt.
 */
@Path("/v1/completions")
public class CompletionsResource {

    /** OpenAI's default length of a completion. */
    static final int DEFAULT_MAX_TOKENS = SamplingParams.DEFAULT_MAX_TOKENS;

    @Inject
    RequestAdmission admission;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
    @RunOnVirtualThread
    @Operation(summary = "Creates a completion for the prompt (OpenAI-compatible)")
    public Response create(CompletionRequest request, @Context HttpServerResponse http) {
        long arrival = System.nanoTime();
        if (request == null) {
            throw OpenAiException.invalid(null, "the request body must be a JSON object");
        }
        request.requireSupported();
        ServedModel model = admission.model(request.model());
        List<CompletionPrompt> prompts = CompletionPrompt.parse(request.prompt(), model.tokenizer());
        for (CompletionPrompt p : prompts) {
            admission.checkPrompt(model, p.tokens(), "prompt");
        }
        int maxTokens = admission.maxTokens(model, request.maxTokens(), "max_tokens", DEFAULT_MAX_TOKENS);
        SamplingParams first = OpenAiSampling.params(request, maxTokens, request.logprobs());
        int n = request.choices();
        List<GenerationRequest> generations = new ArrayList<>(prompts.size() * n);
        for (CompletionPrompt p : prompts) {
            for (int i = 0; i < n; i++) {
                generations.add(new GenerationRequest(p.text(), p.tokens(), OpenAiSampling.forChoice(first, i), 0));
            }
        }
        GenerationRun run = admission.submit(model, generations, arrival, "prompt");

        String id = ResponseIds.next("cmpl-");
        long created = Instant.now().getEpochSecond();
        boolean echo = Boolean.TRUE.equals(request.echo());
        boolean tokenIds = Boolean.TRUE.equals(request.returnTokensAsTokenIds());
        if (request.streaming()) {
            StreamFormat format = new CompletionStreamFormat(id, created, model.name(), prompts, n, echo,
                    request.logprobs() != null, tokenIds, model.tokenizer());
            return EventStreamResponses.of(new GenerationEventStream(run, format, n, request.includeUsage(), json,
                    http));
        }
        List<GenerationResult> results = AwaitedResults.of(run, http);
        List<CompletionResponse.Choice> choices = new ArrayList<>(results.size());
        UsageTally usage = new UsageTally(n);
        for (int c = 0; c < results.size(); c++) {
            GenerationResult r = results.get(c);
            String prefix = echo ? prompts.get(c / n).text() : "";
            CompletionResponse.Logprobs lp = request.logprobs() == null ? null
                    : new OpenAiLogprobs(model.tokenizer(), prefix.length(), tokenIds).legacy(r.logprobs());
            choices.add(new CompletionResponse.Choice(prefix + r.text(), c, lp, r.finishReason().wireName()));
            usage.add(c, r.usage());
        }
        return Response.ok(new CompletionResponse(id, CompletionResponse.OBJECT, created, model.name(), choices,
                usage.total(), null), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
