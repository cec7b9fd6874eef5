package dev.gantry.engine.cli;

import dev.gantry.engine.Engine;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.GenerationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code gantry generate}: one prompt in, generated text out. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from a prompt with a GGUF model.")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "the GGUF model file")
    Path model;

    @Option(names = "--prompt", required = true, description = "the prompt text (\"\" is valid: BOS only)")
    String prompt;

    @Option(names = "--max-tokens", defaultValue = "128", description = "the most tokens to generate "
            + "(default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 for greedy decoding "
            + "(default: ${DEFAULT-VALUE})")
    float temperature;

    @Option(names = "--seed", defaultValue = "0", description = "sampling seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print {\"prompt_tokens\",\"tokens\",\"text\"} as one JSON line")
    boolean json;

    @Mixin
    EngineOptionsMixin engineOptions;

    @Override
    public Integer call() {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("--max-tokens must be ≥ 0, was " + maxTokens);
        }
        try (Engine engine = Engine.open(model, engineOptions.toOptions())) {
            GenerationResult r = engine.generate(new GenerationRequest(prompt, null, maxTokens, temperature, seed,
                    false));
            var out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("prompt_tokens", r.promptTokens());
                line.put("tokens", r.tokens());
                line.put("text", r.text());
                line.put("finish_reason", r.finishReason());
                JsonLine.print(out, line);
            } else {
                out.println(r.text());
                out.flush();
            }
        }
        return 0;
    }
}
