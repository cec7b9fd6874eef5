package dev.gantry.engine.cli;

import dev.gantry.engine.Engine;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.compute.MemoryBandwidthProbe;
import dev.gantry.engine.loop.LoopStats;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.engine.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Callable;
import java.util.logging.Logger;

/**
 * {@code gantry bench}: speed on a fixed-length workload through the real serving loop. One untimed warm-up
 * request, then {@code --reps} timed runs of {@code --requests} requests with at most {@code --concurrency} in
 * flight; each figure is the median over the runs.
 *
 * <ul>
 * <li>{@code prefill_tokens_per_s}: prompt tokens over the time to first token (median over requests);</li>
 * <li>{@code decode_tokens_per_s}: tokens produced by decode steps over the time spent in them — at
 * concurrency above 1, the aggregate rate of the batched steps;</li>
 * <li>{@code generated_tokens_per_s}: every generated token over the run's wall time;</li>
 * <li>{@code ttft_s_p50/p99}, {@code tpot_s_p50/p99}: per-request time to first token and time per later
 * token;</li>
 * <li>{@code kv_usage_peak} and {@code preemptions} over the runs.</li>
 * </ul>
 *
 * <p>{@code --context N} measures decode after {@code N} tokens of context: every request's prompt is the same
 * {@code N} tokens, so after the warm-up the prefix cache holds them and each run decodes at context
 * {@code N .. N+gen}. {@code --bandwidth} also measures the machine's memory read bandwidth in the same run
 * ({@link MemoryBandwidthProbe}, the bench's thread count) and reports the decode floor: {@code
 * bandwidth_gb_per_s}, {@code weight_bytes_per_token} (bytes of weights a decode step reads), {@code
 * floor_tokens_per_s} (bandwidth over those bytes) and {@code floor_fraction} (decode speed over the floor).
 *
 * <p>{@code --baseline-context B} (with {@code --context N}) also decodes after {@code B} tokens in the same
 * process, one run at {@code B} before each run at {@code N}, so that the two contexts share the JIT's code and
 * the machine's moods. It reports {@code baseline_decode_tokens_per_s}, {@code context_slowdown} (decode at
 * {@code B} over decode at {@code N}, minus one), {@code kv_bytes_per_token} (the cache's bytes per token over
 * all layers) and {@code kv_bytes_slowdown}: the slowdown the extra KV bytes explain when a decode step takes
 * time in proportion to the bytes it reads, {@code (N − B)·kv / (weights + (B + gen/2)·kv)}.
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

    @Option(names = "--gen-tokens", defaultValue = "64", description = "tokens to generate per request (default: "
            + "${DEFAULT-VALUE})")
    int genTokens;

    @Option(names = "--concurrency", defaultValue = "1", description = "requests in flight at once (default: "
            + "${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--requests", description = "requests per timed run (default: the concurrency)")
    Integer requests;

    @Option(names = "--reps", defaultValue = "3", description = "timed runs; medians are reported (default: "
            + "${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--json", description = "print the figures as one JSON line")
    boolean json;

    @Option(names = "--context", description = "measure decode after this many tokens of context: every request's "
            + "prompt is the same N tokens, served from the prefix cache after the warm-up (replaces "
            + "--prompt-tokens)")
    Integer context;

    @Option(names = "--baseline-context", description = "with --context: also measure decode after this many "
            + "tokens, alternating runs in the same process, and report baseline_decode_tokens_per_s, "
            + "context_slowdown, kv_bytes_per_token and kv_bytes_slowdown")
    Integer baselineContext;

    @Option(names = "--bandwidth", description = "also measure memory read bandwidth (1 GiB, the bench's threads) "
            + "and report the decode floor: bandwidth_gb_per_s, weight_bytes_per_token, floor_tokens_per_s, "
            + "floor_fraction")
    boolean bandwidth;

    @Mixin
    EngineOptionsMixin engineOptions;

    /** The figures of one timed run. */
    record Run(double prefill, double decode, double generated, double ttftP50, double ttftP99, double tpotP50,
               double tpotP99) {
    }

    @Override
    public Integer call() {
        if (context != null) {
            promptTokens = context;
        }
        if (baselineContext != null && (context == null || baselineContext < 1 || baselineContext >= context)) {
            throw new IllegalArgumentException("--baseline-context needs --context, and a smaller context: got "
                    + baselineContext + " against " + context);
        }
        int total = requests == null ? concurrency : requests;
        if (promptTokens < 1 || genTokens < 1 || reps < 1 || concurrency < 1 || total < 1) {
            throw new IllegalArgumentException("--prompt-tokens, --gen-tokens, --concurrency, --requests and --reps "
                    + "must be at least 1");
        }
        var options = engineOptions.toOptions();
        try (Engine engine = Engine.open(model, options)) {
            SamplingParams sampling = SamplingParams.builder().maxTokens(genTokens).ignoreEos(true).build();
            engine.generate(new GenerationRequest(null, syntheticPrompt(engine.tokenizer(), promptTokens, 0),
                    sampling, 0));
            long weightBytes = DecodeWeightBytes.of(engine.model().weights());
            long preemptionsBefore = engine.stats().preemptions();
            List<Run> runs = new ArrayList<>();
            List<Run> baselineRuns = new ArrayList<>();
            for (int rep = 0; rep < reps; rep++) {
                if (baselineContext != null) {
                    Run baseline = timedRun(engine, sampling, total, rep, baselineContext);
                    baselineRuns.add(baseline);
                    LOG.info(() -> String.format("run %d at context %d: decode %.1f tok/s", baselineRuns.size(),
                            baselineContext, baseline.decode()));
                }
                Run run = timedRun(engine, sampling, total, rep, promptTokens);
                runs.add(run);
                LOG.info(() -> String.format("run %d: prefill %.1f tok/s, decode %.1f tok/s, generated %.1f tok/s",
                        runs.size(), run.prefill(), run.decode(), run.generated()));
            }
            LoopStats stats = engine.stats();
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("prefill_tokens_per_s", median(runs, Run::prefill));
            line.put("decode_tokens_per_s", genTokens > 1 ? median(runs, Run::decode) : null);
            line.put("generated_tokens_per_s", median(runs, Run::generated));
            line.put("ttft_s_p50", median(runs, Run::ttftP50));
            line.put("ttft_s_p99", median(runs, Run::ttftP99));
            line.put("tpot_s_p50", genTokens > 1 ? median(runs, Run::tpotP50) : null);
            line.put("tpot_s_p99", genTokens > 1 ? median(runs, Run::tpotP99) : null);
            line.put("kv_usage_peak", stats.kvUsagePeak());
            line.put("preemptions", stats.preemptions() - preemptionsBefore);
            if (bandwidth) {
                MemoryBandwidthProbe.Result bw = MemoryBandwidthProbe.measure(options.threads(),
                        MemoryBandwidthProbe.DEFAULT_BYTES, MemoryBandwidthProbe.DEFAULT_PASSES);
                double floor = bw.bestGbPerS() * 1e9 / weightBytes;
                line.put("bandwidth_gb_per_s", bw.bestGbPerS());
                line.put("weight_bytes_per_token", weightBytes);
                line.put("floor_tokens_per_s", floor);
                line.put("floor_fraction", genTokens > 1 ? median(runs, Run::decode) / floor : null);
            }
            if (context != null) {
                line.put("context_tokens", context);
            }
            if (baselineContext != null) {
                double baselineDecode = median(baselineRuns, Run::decode);
                long kvBytes = engine.kvBytesPerToken();
                double readAtBaseline = weightBytes + (baselineContext + genTokens / 2.0) * kvBytes;
                line.put("baseline_context_tokens", baselineContext);
                line.put("baseline_decode_tokens_per_s", genTokens > 1 ? baselineDecode : null);
                line.put("context_slowdown", genTokens > 1 ? baselineDecode / median(runs, Run::decode) - 1 : null);
                line.put("kv_bytes_per_token", kvBytes);
                line.put("kv_bytes_slowdown", (double) (context - baselineContext) * kvBytes / readAtBaseline);
            }
            line.put("prompt_tokens", promptTokens);
            line.put("gen_tokens", genTokens);
            line.put("concurrency", concurrency);
            line.put("requests", total);
            line.put("threads", options.threads());
            line.put("device", engine.deviceName());
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

    private Run timedRun(Engine engine, SamplingParams sampling, int total, int rep, int promptLength) {
        LoopStats before = engine.stats();
        Semaphore slots = new Semaphore(concurrency);
        List<CompletableFuture<GenerationResult>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            slots.acquireUninterruptibly();
            // With --context every request shares one prompt (the warm-up's), so the prefix cache serves it.
            int variant = context != null ? 0 : 1 + rep * total + i;
            // A shorter prompt of the same variant is a prefix of the longer: the baseline context is cached too.
            int[] prompt = syntheticPrompt(engine.tokenizer(), promptLength, variant);
            CompletableFuture<GenerationResult> f = engine.submit(new GenerationRequest(null, prompt, sampling, 0))
                    .result();
            f.whenComplete((r, e) -> slots.release());
            futures.add(f);
        }
        List<GenerationResult> results = futures.stream().map(CompletableFuture::join).toList();
        double wall = (System.nanoTime() - start) / 1e9;
        LoopStats after = engine.stats();
        double[] ttft = results.stream().mapToDouble(r -> r.timeToFirstTokenNanos() / 1e9).toArray();
        double[] tpot = results.stream().filter(r -> r.tokens().length > 1)
                .mapToDouble(r -> (r.totalNanos() - r.timeToFirstTokenNanos()) / 1e9 / (r.tokens().length - 1))
                .toArray();
        double[] prefill = results.stream().mapToDouble(r -> r.promptTokens().length
                / (r.timeToFirstTokenNanos() / 1e9)).toArray();
        long decodeTokens = after.decodeTokens() - before.decodeTokens();
        long decodeNanos = after.decodeNanos() - before.decodeNanos();
        long generated = results.stream().mapToLong(r -> r.tokens().length).sum();
        return new Run(percentile(prefill, 50), decodeNanos == 0 ? Double.NaN : decodeTokens / (decodeNanos / 1e9),
                generated / wall, percentile(ttft, 50), percentile(ttft, 99), percentile(tpot, 50),
                percentile(tpot, 99));
    }

    /**
     * BOS (when the model adds one) followed by ordinary tokens cycling through the vocabulary from a
     * variant-dependent start, so different requests share no prefix.
     */
    static int[] syntheticPrompt(Tokenizer tokenizer, int length, int variant) {
        int[] prompt = new int[length];
        int i = 0;
        if (tokenizer.addsBos()) {
            prompt[i++] = tokenizer.bosId();
        }
        int vocab = tokenizer.vocabularySize();
        for (long t = variant * 104_729L; i < length; t++) {
            int id = (int) ((t * 7919L + 11) % vocab);
            if (!tokenizer.isControl(id)) {
                prompt[i++] = id;
            }
        }
        return prompt;
    }

    static double percentile(double[] values, int p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> figure) {
        double[] v = runs.stream().mapToDouble(figure).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
