package dev.gantry.runtime.rest;

import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.loop.QueueFullException;
import dev.gantry.engine.loop.TokenStream;
import dev.gantry.runtime.config.GantryConfig;
import dev.gantry.runtime.metrics.ServingMetrics;
import dev.gantry.runtime.serving.GenerationRun;
import dev.gantry.runtime.serving.ServedModel;
import dev.gantry.runtime.serving.ServiceLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The gate between an API request and the engine: is a model served (503 while loading), is it the one asked
 * for (404), do the prompt and the output length fit the limits (400), is there room in the waiting queue
 * (429 with Retry-After). What passes is submitted to the engine as one batch and followed as a
 * {@link GenerationRun}.
 */
@ApplicationScoped
public class RequestAdmission {

    /** Seconds a client is asked to wait when the queue is full: about one decode step of a loaded engine. */
    static final int RETRY_AFTER_SECONDS = 1;

    @Inject
    ServiceLifecycle lifecycle;

    @Inject
    GantryConfig config;

    @Inject
    ServingMetrics metrics;

    /**
     * The served model, when the request may use it.
     *
     * @param requested the request's {@code model}; null or blank means the served one
     * @throws OpenAiException 503 while loading or shutting down, 404 for another model's name
     */
    public ServedModel model(String requested) {
        ServedModel served = lifecycle.requireServed();
        if (requested != null && !requested.isBlank() && !requested.equals(served.name())) {
            throw OpenAiException.modelNotFound(requested, served.name());
        }
        return served;
    }

    /**
     * Checks a prompt against {@code gantry.limits.max-prompt-tokens} and the model's context.
     *
     * @param field the request field the prompt came from, for errors
     * @throws OpenAiException 400 naming the field
     */
    public void checkPrompt(ServedModel model, int[] tokens, String field) {
        int limit = config.limits().maxPromptTokens().orElse(Integer.MAX_VALUE);
        if (tokens.length > limit) {
            throw OpenAiException.invalid(field, "the prompt has " + tokens.length + " tokens; the limit is " + limit
                    + " (gantry.limits.max-prompt-tokens)");
        }
        if (tokens.length >= model.contextLength()) {
            throw OpenAiException.invalid(field, "This model's maximum context length is " + model.contextLength()
                    + " tokens; the prompt has " + tokens.length + " tokens, leaving no room to generate");
        }
        if (tokens.length == 0) {
            throw OpenAiException.invalid(field, "the prompt has no tokens and this model adds no BOS token");
        }
    }

    /**
     * The output length of a request.
     *
     * @param requested    what the request asked for, or null
     * @param field        the field it came from, for errors
     * @param whenAbsent   the length when none was asked for ({@code max_tokens}' defaults differ per endpoint)
     * @throws OpenAiException 400 when it exceeds {@code gantry.limits.max-tokens}
     */
    public int maxTokens(ServedModel model, Integer requested, String field, int whenAbsent) {
        int limit = config.limits().maxTokens().orElse(model.contextLength());
        if (requested == null) {
            return Math.max(1, Math.min(whenAbsent, limit));
        }
        if (requested > limit) {
            throw OpenAiException.invalid(field, field + " is " + requested + "; the most this service allows is "
                    + limit + (config.limits().maxTokens().isPresent() ? " (gantry.limits.max-tokens)"
                    : " (the model's context)"));
        }
        return requested;
    }

    /**
     * Submits a request's generations together (all or none are accepted).
     *
     * @param arrivalNanos when the request arrived ({@link System#nanoTime()}), for latency metrics
     * @param promptField  the request field the prompts came from, for errors
     * @throws OpenAiException 429 when the waiting queue is full, 400 when the engine refuses a prompt, 503 when it
     *                         is closing
     */
    public GenerationRun submit(ServedModel model, List<GenerationRequest> requests, long arrivalNanos,
                                String promptField) {
        List<TokenStream> streams;
        try {
            streams = model.engine().submitAll(requests);
        } catch (QueueFullException e) {
            throw OpenAiException.queueFull(e.getMessage(), RETRY_AFTER_SECONDS);
        } catch (IllegalStateException e) {
            throw OpenAiException.unavailable("the service is shutting down");
        } catch (IllegalArgumentException e) {
            throw OpenAiException.invalid(promptField, e.getMessage());
        }
        long acceptedAfter = System.nanoTime() - arrivalNanos;
        // Queue time: the service's share before the engine accepted the request, plus the engine's waiting queue.
        for (TokenStream stream : streams) {
            stream.result().thenAccept(r -> {
                if (r.queueNanos() >= 0) {
                    metrics.recordQueueTime(acceptedAfter + r.queueNanos());
                }
            });
        }
        return GenerationRun.follow(streams, metrics, arrivalNanos);
    }
}
