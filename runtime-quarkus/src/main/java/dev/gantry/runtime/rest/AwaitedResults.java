package dev.gantry.runtime.rest;

import dev.gantry.engine.GenerationResult;
import dev.gantry.runtime.serving.GenerationRun;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;

/**
 * Waits for a non-streaming request's results, cancelling its generations when the client disconnects first,
 * and turns an engine failure into a 500 in OpenAI's shape.
 */
final class AwaitedResults {

    private AwaitedResults() {
    }

    static List<GenerationResult> of(GenerationRun run, HttpServerResponse http) {
        try {
            return run.awaitResults(http::closed);
        } catch (GenerationRun.GenerationFailedException e) {
            throw OpenAiException.serverError("generation failed: " + e.getMessage());
        }
    }
}
