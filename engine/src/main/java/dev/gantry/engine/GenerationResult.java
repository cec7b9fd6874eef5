package dev.gantry.engine;

import dev.gantry.engine.loop.TokenLogprob;
import dev.gantry.engine.loop.Usage;
import dev.gantry.engine.sample.FinishReason;

import java.util.List;

/**
 * What a request produced.
 *
 * @param promptTokens          the prompt as token ids, BOS included when it was added
 * @param tokens                the generated ids, without the end-of-generation or stop token that ended them
 * @param text                  the generated text exactly as streamed (nothing stripped; a stop string and what
 *                              follows it excluded)
 * @param finishReason          why generation ended
 * @param usage                 token counts
 * @param logprobs              per generated token, when requested; otherwise empty
 * @param queueNanos            from submission until the request first ran in a step (its time in the waiting
 *                              queue), or -1 when it never ran
 * @param timeToFirstTokenNanos from submission to the first generated token, or -1 when none was generated
 * @param totalNanos            from submission to the end
 * @param preemptions           how many times the request was preempted
 */
public record GenerationResult(int[] promptTokens, int[] tokens, String text, FinishReason finishReason, Usage usage,
                               List<TokenLogprob> logprobs, long queueNanos, long timeToFirstTokenNanos,
                               long totalNanos,
                               int preemptions) {
}
