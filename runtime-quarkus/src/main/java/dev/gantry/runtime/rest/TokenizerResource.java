package dev.gantry.runtime.rest;

import dev.gantry.runtime.rest.api.DetokenizeRequest;
import dev.gantry.runtime.rest.api.DetokenizeResponse;
import dev.gantry.runtime.rest.api.TokenizeRequest;
import dev.gantry.runtime.rest.api.TokenizeResponse;
import dev.gantry.runtime.serving.ServedModel;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Arrays;
import java.util.List;

/**
 * {@code POST /tokenize} and {@code POST /detokenize} (vLLM's shapes): the served model's tokenizer, with
 * exactly the encoding the generation endpoints use.
 */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TokenizerResource {

    @Inject
    RequestAdmission admission;

    @POST
    @Path("tokenize")
    @Operation(summary = "Encodes a prompt, or chat messages rendered with the chat template")
    public TokenizeResponse tokenize(TokenizeRequest request) {
        if (request == null) {
            throw OpenAiException.invalid(null, "the request body must be a JSON object");
        }
        ServedModel model = admission.model(request.model());
        int[] tokens;
        if (request.messages() != null) {
            if (request.prompt() != null) {
                throw OpenAiException.invalid("prompt", "give prompt or messages, not both");
            }
            tokens = ChatPrompts.encode(model, request.messages(), !Boolean.FALSE.equals(request.addGenerationPrompt()));
        } else if (request.prompt() != null) {
            tokens = model.tokenizer().encode(request.prompt(), !Boolean.FALSE.equals(request.addSpecialTokens()));
        } else {
            throw OpenAiException.invalid("prompt", "prompt (or messages) is required");
        }
        List<String> pieces = Boolean.TRUE.equals(request.returnTokenStrs())
                ? Arrays.stream(tokens).mapToObj(model.tokenizer()::piece).toList() : null;
        return new TokenizeResponse(tokens.length, model.contextLength(), tokens, pieces);
    }

    @POST
    @Path("detokenize")
    @Operation(summary = "Decodes token ids to text")
    public DetokenizeResponse detokenize(DetokenizeRequest request) {
        if (request == null || request.tokens() == null) {
            throw OpenAiException.invalid("tokens", "tokens is required");
        }
        ServedModel model = admission.model(request.model());
        int vocabulary = model.tokenizer().vocabularySize();
        for (int i = 0; i < request.tokens().length; i++) {
            int id = request.tokens()[i];
            if (id < 0 || id >= vocabulary) {
                throw OpenAiException.invalid("tokens", "tokens[" + i + "] = " + id + " is not a token id of this"
                        + " model (0 to " + (vocabulary - 1) + ")");
            }
        }
        return new DetokenizeResponse(model.tokenizer().decode(request.tokens()));
    }
}
