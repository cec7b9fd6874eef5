package dev.gantry.runtime.rest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.gantry.runtime.rest.api.ErrorResponse;
import dev.gantry.runtime.serving.GenerationRun;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/**
 * Every error of the API in OpenAI's shape, {@code {"error": {"message", "type", "param", "code"}}}, with the
 * right status: our own {@link OpenAiException}s, and the JSON reader's failures turned into 400s that name the
 * field (an unknown field, a value of the wrong type, a body that is not JSON).
 */
public class OpenAiErrorMapper {

    private static final Logger LOG = Logger.getLogger(OpenAiErrorMapper.class);

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> openAi(OpenAiException e) {
        RestResponse.ResponseBuilder<ErrorResponse> response = RestResponse.ResponseBuilder
                .<ErrorResponse>create(e.status()).entity(e.body()).type(MediaType.APPLICATION_JSON_TYPE);
        if (e.retryAfterSeconds() != null) {
            response.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        return response.build();
    }

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> unknownField(UnrecognizedPropertyException e) {
        return openAi(OpenAiException.unknownField(path(e.getPath())));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> wrongType(MismatchedInputException e) {
        String field = path(e.getPath());
        if (field == null) {
            return openAi(OpenAiException.invalid(null, "the request body must be a JSON object"));
        }
        String expected = e instanceof InvalidFormatException f && f.getTargetType() != null
                ? " (expected " + typeName(f.getTargetType()) + ")"
                : e.getTargetType() != null ? " (expected " + typeName(e.getTargetType()) + ")" : "";
        return openAi(OpenAiException.invalid(field, "invalid value for " + field + expected));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> malformed(JacksonException e) {
        return openAi(OpenAiException.invalid(null, "the request body is not valid JSON: " + e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> web(WebApplicationException e) {
        if (e.getCause() instanceof JacksonException json) {
            return malformed(json);
        }
        Response r = e.getResponse();
        int status = r == null ? 500 : r.getStatus();
        String type = status >= 500 ? "server_error" : "invalid_request_error";
        String message = switch (status) {
            case 404 -> "no such endpoint";
            case 405 -> "method not allowed for this endpoint";
            case 406 -> "the endpoint answers application/json (or text/event-stream when streaming)";
            case 413 -> "the request body is too large (gantry.limits.max-body-bytes)";
            case 415 -> "send the request body as application/json";
            default -> e.getMessage();
        };
        return RestResponse.ResponseBuilder.<ErrorResponse>create(status)
                .entity(ErrorResponse.of(message, type, null, null)).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> clientGone(GenerationRun.ClientGoneException e) {
        // Nobody reads this: the connection is gone and the generations are cancelled.
        return openAi(OpenAiException.invalid(null, e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<ErrorResponse> unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        return openAi(OpenAiException.serverError("internal error: " + e));
    }

    /** The field path as a client writes it: {@code messages[0].content}. */
    static String path(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }
}
