package dev.gantry.runtime.rest;

import dev.gantry.runtime.config.GantryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Optional API-key authentication: when {@code gantry.api-keys} is set, every API request needs
 * {@code Authorization: Bearer <key>} with one of them (401 otherwise). Health, metrics and the OpenAPI document
 * are not API resources and stay open for probes and scrapers.
 */
// A client proxy: the filter is created during static init, before run-time configuration exists.
@ApplicationScoped
public class ApiKeyFilter {

    @Inject
    GantryConfig config;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void requireKey(ContainerRequestContext request) {
        List<String> keys = config.apiKeys().orElse(List.of());
        if (keys.isEmpty()) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw OpenAiException.unauthorized("You didn't provide an API key: send Authorization: Bearer <key>");
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        for (String key : keys) {
            // Constant-time comparison: response timing must not reveal how much of a key matched.
            if (MessageDigest.isEqual(given, key.strip().getBytes(StandardCharsets.UTF_8))) {
                return;
            }
        }
        throw OpenAiException.unauthorized("Incorrect API key provided");
    }
}
