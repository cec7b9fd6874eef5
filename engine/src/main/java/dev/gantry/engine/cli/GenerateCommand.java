package dev.gantry.engine.cli;

import dev.gantry.engine.Engine;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.sample.SamplingParams;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code gantry generate}: one prompt, or every line of a file at once through the batching loop, in; one
 * result (a JSON line with {@code --json}) per prompt out, in input order.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from a prompt, or from every line of a file as one batch.")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "the GGUF model file")
    Path model;

    static final class Input {
        @Option(names = "--prompt", description = "the prompt text (\"\" is valid: BOS only)")
        String prompt;

        @Option(names = "--prompts-file", description = "a file with one prompt per line (a blank line is the empty"
                + " prompt), all submitted at once")
        Path promptsFile;
    }

    @ArgGroup(multiplicity = "1")
    Input input;

    @Option(names = "--json", description = "print {\"prompt_tokens\",\"tokens\",\"text\",\"finish_reason\"} as one"
            + " JSON line per prompt")
    boolean json;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    EngineOptionsMixin engineOptions;

    @Override
    public Integer call() throws IOException {
        List<String> prompts = input.prompt != null ? List.of(input.prompt) : readPrompts(input.promptsFile);
        SamplingParams params = sampling.toParams();
        try (Engine engine = Engine.open(model, engineOptions.toOptions())) {
            List<GenerationResult> results = engine.generateAll(prompts.stream()
                    .map(p -> GenerationRequest.of(p, params)).toList());
            PrintWriter out = spec.commandLine().getOut();
            for (GenerationResult r : results) {
                if (json) {
                    JsonLine.print(out, toJson(r));
                } else {
                    out.println(r.text());
                }
            }
            out.flush();
        }
        return 0;
    }

    static Map<String, Object> toJson(GenerationResult r) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("prompt_tokens", r.promptTokens());
        line.put("tokens", r.tokens());
        line.put("text", r.text());
        line.put("finish_reason", r.finishReason().wireName());
        if (!r.logprobs().isEmpty()) {
            line.put("logprobs", r.logprobs().stream().map(l -> Map.of("token", l.token(), "logprob", l.logprob(),
                    "top_ids", l.topIds(), "top_logprobs", l.topLogprobs())).toList());
        }
        return line;
    }

    private static List<String> readPrompts(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--prompts-file " + file + " does not exist");
        }
        // Every line is a prompt; a trailing newline does not add an empty prompt.
        return Files.readString(file, StandardCharsets.UTF_8).lines().toList();
    }
}
