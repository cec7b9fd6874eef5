package dev.gantry.engine.cli;

import dev.gantry.engine.sample.SamplingParams;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The sampling and stopping options of {@code generate}, mapped onto {@link SamplingParams}. */
final class SamplingOptions {

    @Option(names = "--max-tokens", defaultValue = "128", description = "the most tokens to generate "
            + "(default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--min-tokens", defaultValue = "0", description = "generate at least this many tokens before "
            + "EOS or a stop token may end the output")
    int minTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 for greedy decoding "
            + "(default: ${DEFAULT-VALUE})")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "sample among the k most likely tokens (0: off)")
    int topK;

    @Option(names = "--top-p", defaultValue = "1", description = "nucleus sampling mass (1: off)")
    float topP;

    @Option(names = "--min-p", defaultValue = "0", description = "drop tokens below this fraction of the top "
            + "token's probability (0: off)")
    float minP;

    @Option(names = "--repetition-penalty", defaultValue = "1", description = "penalise tokens seen in the prompt "
            + "or output (1: off)")
    float repetitionPenalty;

    @Option(names = "--presence-penalty", defaultValue = "0", description = "OpenAI presence penalty (0: off)")
    float presencePenalty;

    @Option(names = "--frequency-penalty", defaultValue = "0", description = "OpenAI frequency penalty (0: off)")
    float frequencyPenalty;

    @Option(names = "--seed", description = "sampling seed (default: 0; a fixed seed repeats its output)")
    Long seed;

    @Option(names = "--stop", description = "a stop string (repeatable); it is not included in the text")
    List<String> stop = new ArrayList<>();

    @Option(names = "--stop-token-id", description = "a token id that ends generation (repeatable)")
    List<Integer> stopTokenIds = new ArrayList<>();

    @Option(names = "--ignore-eos", description = "keep generating past end-of-generation tokens")
    boolean ignoreEos;

    @Option(names = "--logprobs", description = "report the chosen token's log-probability and the top N")
    Integer logprobs;

    SamplingParams toParams() {
        return SamplingParams.builder().maxTokens(maxTokens).minTokens(minTokens).temperature(temperature).topK(topK)
                .topP(topP).minP(minP).repetitionPenalty(repetitionPenalty).presencePenalty(presencePenalty)
                .frequencyPenalty(frequencyPenalty).seed(seed == null ? 0L : seed).stop(stop)
                .stopTokenIds(stopTokenIds).ignoreEos(ignoreEos).logprobs(logprobs).build();
    }
}
