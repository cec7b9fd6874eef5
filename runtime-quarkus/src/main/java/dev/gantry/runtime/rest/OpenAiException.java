package dev.gantry.runtime.rest;

import dev.gantry.runtime.rest.api.ErrorResponse;

/**
 * A request the service answers with an error in OpenAI's shape: an HTTP status and
 * {@code {"error": {"message", "type", "param", "code"}}}, where {@code param} names the request field at fault.
 * {@link OpenAiErrorMapper} writes it.
 */
public class OpenAiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final Integer retryAfterSeconds;

    public OpenAiException(int status, String type, String param, String code, String message,
                           Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400: a field has an invalid value (or is missing); {@code param} names it, or is null for the whole body. */
    public static OpenAiException invalid(String param, String message) {
        return new OpenAiException(400, "invalid_request_error", param, null, message, null);
    }

    /** 400: a field OpenAI defines but this service does not honour. */
    public static OpenAiException unsupported(String param, String detail) {
        return new OpenAiException(400, "invalid_request_error", param, "unsupported_parameter",
                param + " is not supported" + (detail == null ? "" : ": " + detail), null);
    }

    /** 400: a field OpenAI's API does not define for this endpoint. */
    public static OpenAiException unknownField(String param) {
        return new OpenAiException(400, "invalid_request_error", param, "unknown_parameter",
                "Unrecognized request argument supplied: " + param, null);
    }

    /** 401: no valid API key. */
    public static OpenAiException unauthorized(String message) {
        return new OpenAiException(401, "invalid_request_error", null, "invalid_api_key", message, null);
    }

    /** 404: the request names a model this service does not serve. */
    public static OpenAiException modelNotFound(String model, String served) {
        return new OpenAiException(404, "invalid_request_error", "model", "model_not_found",
                "The model `" + model + "` does not exist; this service serves `" + served + "`", null);
    }

    /** 413: the body is larger than {@code gantry.limits.max-body-bytes}. */
    public static OpenAiException tooLarge(long bytes, long limit) {
        return new OpenAiException(413, "invalid_request_error", null, "request_too_large",
                "The request body has " + bytes + " bytes; the limit is " + limit
                        + " (gantry.limits.max-body-bytes)", null);
    }

    /** 429 with Retry-After: the engine's waiting queue is full. */
    public static OpenAiException queueFull(String message, int retryAfterSeconds) {
        return new OpenAiException(429, "rate_limit_error", null, "rate_limit_exceeded", message, retryAfterSeconds);
    }

    /** 503: the model is loading, or the service is shutting down. */
    public static OpenAiException unavailable(String message) {
        return new OpenAiException(503, "server_error", null, "service_unavailable", message, null);
    }

    /** 500: generation failed inside the engine. */
    public static OpenAiException serverError(String message) {
        return new OpenAiException(500, "server_error", null, null, message, null);
    }

    public int status() {
        return status;
    }

    /** Seconds for the Retry-After header, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The error body. */
    public ErrorResponse body() {
        return ErrorResponse.of(getMessage(), type, param, code);
    }
}
