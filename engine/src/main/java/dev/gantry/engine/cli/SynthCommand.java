package dev.gantry.engine.cli;

import dev.gantry.engine.synth.ModelShape;
import dev.gantry.engine.synth.ModelShapes;
import dev.gantry.engine.synth.SyntheticModelWriter;
import dev.gantry.engine.tensor.GgmlType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code gantry synth}: writes a Llama model with random weights (fixed seed) and a working tokenizer, of a
 * named shape or given dimensions, in any supported tensor type — for tests, benchmarks and demos.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write a synthetic Llama GGUF model (random weights, working tokenizer).")
final class SynthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "the file to write")
    Path out;

    @Option(names = "--shape", description = "a named shape: tiny, stories260k, stories15m, tinyllama-1.1b, "
            + "llama3-1b (other options override its dimensions)")
    String shape;

    @Option(names = "--dim", description = "embedding length")
    Integer dim;

    @Option(names = "--layers", description = "transformer blocks")
    Integer layers;

    @Option(names = "--heads", description = "attention heads")
    Integer heads;

    @Option(names = "--kv-heads", description = "key/value heads (default: --heads)")
    Integer kvHeads;

    @Option(names = "--ffn", description = "feed-forward hidden size (default: about 8/3 of --dim)")
    Integer ffn;

    @Option(names = "--vocab", description = "vocabulary size")
    Integer vocab;

    @Option(names = "--context", description = "context length")
    Integer context;

    @Option(names = "--type", description = "tensor type of the weight matrices: F32, F16, BF16, Q8_0, Q4_0, "
            + "Q4_K, Q5_K, Q6_K")
    String type;

    @Option(names = "--tied", description = "tie the output projection to the token embedding")
    Boolean tied;

    @Option(names = "--seed", defaultValue = "42", description = "weight seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print what was written as one JSON line")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ModelShape s = build();
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        SyntheticModelWriter.write(s, seed, out);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("path", out.toString());
        line.put("shape", s.name());
        line.put("dim", s.dim());
        line.put("layers", s.layers());
        line.put("heads", s.heads());
        line.put("kv_heads", s.kvHeads());
        line.put("ffn", s.ffnDim());
        line.put("vocab", s.vocabSize());
        line.put("type", s.weightType().name());
        line.put("parameters", s.parameterCount());
        line.put("bytes", Files.size(out));
        var w = spec.commandLine().getOut();
        if (json) {
            JsonLine.print(w, line);
        } else {
            w.println("wrote " + out + " (" + s.name() + ", " + s.parameterCount() + " parameters, "
                    + s.weightType() + ", " + Files.size(out) + " bytes)");
            w.flush();
        }
        return 0;
    }

    private ModelShape build() {
        ModelShape base;
        if (shape != null) {
            base = ModelShapes.named(shape);
        } else {
            if (dim == null || layers == null || heads == null || vocab == null) {
                throw new IllegalArgumentException("give --shape NAME, or at least --dim, --layers, --heads and "
                        + "--vocab");
            }
            base = ModelShapes.TINY;
        }
        int d = dim != null ? dim : base.dim();
        int h = heads != null ? heads : base.heads();
        int kv = kvHeads != null ? kvHeads : (heads != null ? h : base.kvHeads());
        int f = ffn != null ? ffn : (dim != null ? ((d * 8 / 3) + 31) / 32 * 32 : base.ffnDim());
        GgmlType t = type != null ? parseType(type) : base.weightType();
        String name = shape != null && dim == null && layers == null && heads == null ? base.name() : "custom";
        return new ModelShape(name, d, layers != null ? layers : base.layers(), h, kv, f,
                vocab != null ? vocab : base.vocabSize(), context != null ? context : base.contextLength(),
                base.ropeTheta(), base.rmsEps(), tied != null ? tied : base.tiedEmbeddings(), t,
                base.llama3RopeScaling());
    }

    private static GgmlType parseType(String raw) {
        try {
            return GgmlType.valueOf(raw.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--type " + raw + " is not one of "
                    + java.util.Arrays.toString(GgmlType.values()));
        }
    }
}
