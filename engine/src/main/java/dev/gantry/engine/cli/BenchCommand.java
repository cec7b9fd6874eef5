package dev.gantry.engine.cli;

import dev.gantry.engine.Engine;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Logger;

/**
 * {@code gantry bench}: prefill and decode speed on a fixed-length workload. One untimed warm-up run, then the
 * median of {@code --reps} runs. Prefill speed is prompt tokens over the time to the first generated token;
 * decode speed is the tokens generated after the first over the time they took.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure prefill and decode speed.")
final class BenchCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(BenchCommand.class.getName());

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "the GGUF model file")
    Path model;

    @Option(names = "--prompt-tokens", defaultValue = "128", description = "prompt length in tokens, BOS included "
            + "(default: ${DEFAULT-VALUE})")
    int promptTokens;

    @Option(names = "--gen-tokens", defaultValue = "64", description = "tokens to generate (default: "
            + "${DEFAULT-VALUE})")
    int genTokens;

    @Option(names = "--reps", defaultValue = "3", description = "timed repetitions; the median is reported "
            + "(default: ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--json", description = "print the figures as one JSON line")
    boolean json;

    @Mixin
    EngineOptionsMixin engineOptions;

    @Override
    public Integer call() {
        if (promptTokens < 1 || genTokens < 1 || reps < 1) {
            throw new IllegalArgumentException("--prompt-tokens, --gen-tokens and --reps must be at least 1");
        }
        try (Engine engine = Engine.open(model, engineOptions.toOptions())) {
            int[] prompt = syntheticPrompt(engine.tokenizer(), promptTokens);
            GenerationRequest request = new GenerationRequest(null, prompt, genTokens, 0f, 0L, true);
            engine.generate(request);
            double[] prefill = new double[reps];
            double[] decode = new double[reps];
            for (int i = 0; i < reps; i++) {
                GenerationResult r = engine.generate(request);
                prefill[i] = prompt.length / (r.prefillNanos() / 1e9);
                decode[i] = genTokens > 1 ? (r.tokens().length - 1) / (r.decodeNanos() / 1e9) : Double.NaN;
                int rep = i + 1;
                LOG.info(() -> String.format("rep %d: prefill %.1f tok/s, decode %.1f tok/s", rep,
                        prefill[rep - 1], decode[rep - 1]));
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("prefill_tokens_per_s", median(prefill));
            line.put("decode_tokens_per_s", genTokens > 1 ? median(decode) : null);
            line.put("prompt_tokens", prompt.length);
            line.put("gen_tokens", genTokens);
            line.put("threads", engineOptions.toOptions().threads());
            line.put("reps", reps);
            line.put("model", model.getFileName().toString());
            var out = spec.commandLine().getOut();
            if (json) {
                JsonLine.print(out, line);
            } else {
                line.forEach((k, v) -> out.println(k + ": " + v));
                out.flush();
            }
        }
        return 0;
    }

    /** BOS (when the model adds one) followed by ordinary tokens, cycling through the vocabulary. */
    static int[] syntheticPrompt(Tokenizer tokenizer, int length) {
        int[] prompt = new int[length];
        int i = 0;
        if (tokenizer.addsBos()) {
            prompt[i++] = tokenizer.bosId();
        }
        int vocab = tokenizer.vocabularySize();
        for (int t = 0; i < length; t++) {
            int id = (int) ((t * 7919L + 11) % vocab);
            if (!tokenizer.isControl(id)) {
                prompt[i++] = id;
            }
        }
        return prompt;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
