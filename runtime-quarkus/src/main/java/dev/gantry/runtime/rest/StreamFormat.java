package dev.gantry.runtime.rest;

import dev.gantry.engine.loop.TokenEvent;
import dev.gantry.engine.sample.FinishReason;
import dev.gantry.runtime.rest.api.UsageInfo;

import java.util.List;

/**
 * The chunks one streaming endpoint sends for the events of a {@link dev.gantry.runtime.serving.GenerationRun}:
 * {@code text_completion} chunks for {@code /v1/completions}, {@code chat.completion.chunk} for chat.
 */
interface StreamFormat {

    /** Chunks sent for a choice before any token (the echoed prompt, the assistant role); may be empty. */
    List<Object> opening(int choice);

    /** The chunk for a choice's new output, or null when there is nothing to send (text held back). */
    Object delta(int choice, TokenEvent.Delta delta);

    /** The chunk that ends a choice. */
    Object finish(int choice, FinishReason reason);

    /** The usage chunk sent last with {@code stream_options.include_usage}. */
    Object usage(UsageInfo usage);
}
