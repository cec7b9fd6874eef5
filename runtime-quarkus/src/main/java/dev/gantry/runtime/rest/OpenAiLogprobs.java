package dev.gantry.runtime.rest;

import dev.gantry.engine.loop.TokenLogprob;
import dev.gantry.engine.tokenizer.Tokenizer;
import dev.gantry.runtime.rest.api.ChatLogprobs;
import dev.gantry.runtime.rest.api.CompletionResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's per-token log-probabilities in OpenAI's two formats: the legacy lists of
 * {@code /v1/completions} (with text offsets, which continue across the chunks of a stream) and the
 * {@code content} entries of chat completions. A token's text is its decoded piece, or {@code token_id:<id>}
 * when the request asks for ids (vLLM's {@code return_tokens_as_token_ids}).
 */
final class OpenAiLogprobs {

    private final Tokenizer tokenizer;
    private final boolean ids;
    private int offset;

    /**
     * @param startOffset where the first token's text starts in the choice's text (after an echoed prompt)
     * @param ids         name tokens by id rather than by text
     */
    OpenAiLogprobs(Tokenizer tokenizer, int startOffset, boolean ids) {
        this.tokenizer = tokenizer;
        this.offset = startOffset;
        this.ids = ids;
    }

    /** The legacy lists for these tokens; offsets continue from the previous call. */
    CompletionResponse.Logprobs legacy(List<TokenLogprob> logprobs) {
        List<String> tokens = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        List<Map<String, Float>> tops = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        for (TokenLogprob l : logprobs) {
            String text = text(tokenizer, l.token());
            tokens.add(ids ? name(tokenizer, l.token(), true) : text);
            values.add(l.logprob());
            Map<String, Float> top = new LinkedHashMap<>();
            for (int i = 0; i < l.topIds().length; i++) {
                top.putIfAbsent(name(tokenizer, l.topIds()[i], ids), l.topLogprobs()[i]);
            }
            tops.add(top);
            offsets.add(offset);
            offset += text.length();
        }
        return new CompletionResponse.Logprobs(tokens, values, tops, offsets);
    }

    /** Chat's entries for these tokens. */
    static ChatLogprobs chat(Tokenizer tokenizer, List<TokenLogprob> logprobs, boolean ids) {
        List<ChatLogprobs.TokenLogprob> content = new ArrayList<>();
        for (TokenLogprob l : logprobs) {
            List<ChatLogprobs.TopLogprob> top = new ArrayList<>();
            for (int i = 0; i < l.topIds().length; i++) {
                top.add(new ChatLogprobs.TopLogprob(name(tokenizer, l.topIds()[i], ids), l.topLogprobs()[i],
                        bytes(tokenizer, l.topIds()[i])));
            }
            content.add(new ChatLogprobs.TokenLogprob(name(tokenizer, l.token(), ids), l.logprob(),
                    bytes(tokenizer, l.token()), top));
        }
        return new ChatLogprobs(content, null);
    }

    private static String name(Tokenizer tokenizer, int id, boolean ids) {
        return ids ? "token_id:" + id : text(tokenizer, id);
    }

    private static String text(Tokenizer tokenizer, int id) {
        return new String(tokenizer.decodeBytes(id), StandardCharsets.UTF_8);
    }

    private static List<Integer> bytes(Tokenizer tokenizer, int id) {
        byte[] raw = tokenizer.decodeBytes(id);
        List<Integer> list = new ArrayList<>(raw.length);
        for (byte b : raw) {
            list.add(b & 0xff);
        }
        return list;
    }
}
