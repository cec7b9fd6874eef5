package dev.gantry.engine.loop;

import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.kv.SequenceBlocks;
import dev.gantry.engine.sample.SequenceSampler;
import dev.gantry.engine.sample.StopChecker;
import dev.gantry.engine.tokenizer.StreamingDecoder;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.scheduler.SequencePhase;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the loop knows about one request while it runs: its tokens, where its KV is, its sampler and
 * stop matching, and its output stream. Owned by the loop thread.
 *
 * <p>Token bookkeeping follows the pending-token convention: the last output token is <em>pending</em> — sampled
 * and already emitted, its KV not yet computed. {@code committed()} counts the tokens that are not pending;
 * {@code computed} of them have KV. A sequence prefills while {@code computed < committed()} and decodes
 * (processing its pending token, plus any draft tree) once they are equal.
 */
final class LiveSequence {

    final SequenceId id;
    final GenerationRequest request;
    final int[] prompt;
    final TokenBuffer output;
    final SequenceSampler sampler;
    final StreamingDecoder decoder;
    final StopChecker stops;
    final TokenStream stream;
    final long arrivalNanos;
    /** Output tokens the request arrived with (a continuation), which were never generated here. */
    final int resumedTokens;
    final List<TokenLogprob> logprobs = new ArrayList<>();
    final StringBuilder text = new StringBuilder();

    SequencePhase phase = SequencePhase.WAITING;
    SequenceBlocks blocks;
    boolean hasPending;
    int computed;
    int cachedPrefixTokens;
    int preemptions;
    long firstTokenNanos;
    long admittedNanos;
    volatile boolean cancelRequested;

    /** Hidden states of the last forward for this sequence (for speculators that read them). */
    float[] hiddenPreNorm;
    float[] hiddenPostNorm;
    int hiddenCount;

    LiveSequence(SequenceId id, GenerationRequest request, int[] prompt, SequenceSampler sampler,
                 StreamingDecoder decoder, StopChecker stops, TokenStream stream, long arrivalNanos) {
        this.id = id;
        this.request = request;
        this.prompt = prompt;
        this.output = new TokenBuffer(16);
        this.sampler = sampler;
        this.decoder = decoder;
        this.stops = stops;
        this.stream = stream;
        this.arrivalNanos = arrivalNanos;
        this.resumedTokens = request.generatedTokens().length;
    }

    /** Whether it has never run: still counted in the waiting queue's length. */
    boolean neverRan() {
        return output.size() == resumedTokens && preemptions == 0;
    }

    /** Prompt plus output tokens. */
    int total() {
        return prompt.length + output.size();
    }

    /** Tokens that are not pending. */
    int committed() {
        return total() - (hasPending ? 1 : 0);
    }

    /** Token {@code i} of prompt-then-output. */
    int tokenAt(int i) {
        return i < prompt.length ? prompt[i] : output.get(i - prompt.length);
    }

    /** The pending token (valid when {@link #hasPending}). */
    int pending() {
        return output.get(output.size() - 1);
    }

    /** Whether its prompt (and, after a recompute, its earlier output) still lacks KV. */
    boolean prefilling() {
        return computed < committed();
    }

    /** All tokens as an array (prefix-cache lookups). */
    int[] allTokens() {
        int[] all = new int[total()];
        System.arraycopy(prompt, 0, all, 0, prompt.length);
        for (int i = 0; i < output.size(); i++) {
            all[prompt.length + i] = output.get(i);
        }
        return all;
    }
}
