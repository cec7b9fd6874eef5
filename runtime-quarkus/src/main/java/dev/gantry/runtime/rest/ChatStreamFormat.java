package dev.gantry.runtime.rest;

import dev.gantry.engine.loop.TokenEvent;
import dev.gantry.engine.sample.FinishReason;
import dev.gantry.engine.tokenizer.Tokenizer;
import dev.gantry.runtime.rest.api.ChatCompletionChunk;
import dev.gantry.runtime.rest.api.UsageInfo;

import java.util.List;

/**
 * {@code /v1/chat/completions} chunks: a first delta with the assistant role, content deltas as text is
 * generated, then an empty delta with the finish reason.
 */
final class ChatStreamFormat implements StreamFormat {

    private final String id;
    private final long created;
    private final String model;
    private final boolean logprobs;
    private final boolean tokenIds;
    private final Tokenizer tokenizer;

    ChatStreamFormat(String id, long created, String model, boolean logprobs, boolean tokenIds, Tokenizer tokenizer) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.logprobs = logprobs;
        this.tokenIds = tokenIds;
        this.tokenizer = tokenizer;
    }

    @Override
    public List<Object> opening(int choice) {
        return List.of(chunk(new ChatCompletionChunk.Choice(choice,
                new ChatCompletionChunk.Delta("assistant", ""), null, null)));
    }

    @Override
    public Object delta(int choice, TokenEvent.Delta delta) {
        if (delta.text().isEmpty() && (!logprobs || delta.logprobs().isEmpty())) {
            return null;
        }
        return chunk(new ChatCompletionChunk.Choice(choice, new ChatCompletionChunk.Delta(null, delta.text()),
                logprobs ? OpenAiLogprobs.chat(tokenizer, delta.logprobs(), tokenIds) : null, null));
    }

    @Override
    public Object finish(int choice, FinishReason reason) {
        return chunk(new ChatCompletionChunk.Choice(choice, new ChatCompletionChunk.Delta(null, null), null,
                reason.wireName()));
    }

    @Override
    public Object usage(UsageInfo usage) {
        return new ChatCompletionChunk(id, ChatCompletionChunk.OBJECT, created, model, null, List.of(), usage);
    }

    private ChatCompletionChunk chunk(ChatCompletionChunk.Choice choice) {
        return new ChatCompletionChunk(id, ChatCompletionChunk.OBJECT, created, model, null, List.of(choice), null);
    }
}
