package dev.gantry.runtime.rest.api;

/**
 * OpenAI's error body: {@code {"error": {"message", "type", "param", "code"}}}.
 *
 * @param error the error
 */
public record ErrorResponse(Error error) {

    /**
     * One error.
     *
     * @param message what went wrong, for people
     * @param type    the kind of error ({@code invalid_request_error}, {@code rate_limit_error}, ...)
     * @param param   the request field at fault, or null
     * @param code    a machine-readable code, or null
     */
    public record Error(String message, String type, String param, String code) {
    }

    public static ErrorResponse of(String message, String type, String param, String code) {
        return new ErrorResponse(new Error(message, type, param, code));
    }
}
