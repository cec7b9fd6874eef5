package dev.gantry.runtime.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.runtime.config.GantryConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Refuses bodies larger than {@code gantry.limits.max-body-bytes} by their Content-Length with a 413 in OpenAI's
 * shape, before any of the body is read. It runs ahead of the HTTP server's own size check (which answers with
 * an empty 413); chunked bodies without a length meet that check, which follows the same setting
 * ({@code quarkus.http.limits.max-body-size}).
 */
@ApplicationScoped
public class BodySizeLimit {

    /** Before every other route, the HTTP server's body-size check included. */
    private static final int ORDER = Integer.MIN_VALUE + 10;

    @Inject
    GantryConfig config;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        long limit = config.limits().maxBodyBytes().asLongValue();
        router.route().order(ORDER).handler(ctx -> check(ctx, limit));
    }

    private void check(RoutingContext ctx, long limit) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long bytes;
        try {
            bytes = length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        if (bytes <= limit) {
            ctx.next();
            return;
        }
        OpenAiException error = OpenAiException.tooLarge(bytes, limit);
        String body;
        try {
            body = json.writeValueAsString(error.body());
        } catch (JsonProcessingException e) {
            body = "{}";
        }
        // The body is not read: close the connection rather than drain it.
        ctx.response().setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
