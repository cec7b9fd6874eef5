package dev.gantry.runtime.rest;

import dev.gantry.engine.loop.TokenEvent;
import dev.gantry.engine.sample.FinishReason;
import dev.gantry.engine.tokenizer.Tokenizer;
import dev.gantry.runtime.rest.api.CompletionResponse;
import dev.gantry.runtime.rest.api.UsageInfo;

import java.util.List;

/**
 * {@code /v1/completions} chunks: the echoed prompt first (with {@code echo}), then each piece of text as it is
 * generated, then an empty chunk with the finish reason; all {@code text_completion} objects.
 */
final class CompletionStreamFormat implements StreamFormat {

    private final String id;
    private final long created;
    private final String model;
    private final List<CompletionPrompt> prompts;
    private final int n;
    private final boolean echo;
    private final OpenAiLogprobs[] logprobs;

    /**
     * @param logprobsRequested whether the request asked for log-probabilities
     * @param tokenIds          whether log-probabilities name tokens by id
     */
    CompletionStreamFormat(String id, long created, String model, List<CompletionPrompt> prompts, int n, boolean echo,
                           boolean logprobsRequested, boolean tokenIds, Tokenizer tokenizer) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.prompts = prompts;
        this.n = n;
        this.echo = echo;
        this.logprobs = new OpenAiLogprobs[prompts.size() * n];
        if (logprobsRequested) {
            for (int c = 0; c < logprobs.length; c++) {
                logprobs[c] = new OpenAiLogprobs(tokenizer, echo ? prompt(c).text().length() : 0, tokenIds);
            }
        }
    }

    private CompletionPrompt prompt(int choice) {
        return prompts.get(choice / n);
    }

    @Override
    public List<Object> opening(int choice) {
        return echo ? List.of(chunk(prompt(choice).text(), choice, null, null)) : List.of();
    }

    @Override
    public Object delta(int choice, TokenEvent.Delta delta) {
        OpenAiLogprobs lp = logprobs[choice];
        if (delta.text().isEmpty() && (lp == null || delta.logprobs().isEmpty())) {
            return null;
        }
        return chunk(delta.text(), choice, lp == null ? null : lp.legacy(delta.logprobs()), null);
    }

    @Override
    public Object finish(int choice, FinishReason reason) {
        return chunk("", choice, null, reason.wireName());
    }

    @Override
    public Object usage(UsageInfo usage) {
        return new CompletionResponse(id, CompletionResponse.OBJECT, created, model, List.of(), usage, null);
    }

    private CompletionResponse chunk(String text, int choice, CompletionResponse.Logprobs lp, String finish) {
        return new CompletionResponse(id, CompletionResponse.OBJECT, created, model,
                List.of(new CompletionResponse.Choice(text, choice, lp, finish)), null, null);
    }
}
