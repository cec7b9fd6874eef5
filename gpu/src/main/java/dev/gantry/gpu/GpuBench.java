package dev.gantry.gpu;

import dev.gantry.engine.llama.LlamaModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Decode speed of the resident GPU forward pass ({@link CudaForward}) next to the HBM floor, measured on the
 * machine it runs on: one JSON line with prefill and decode tokens/s, the weight bytes one decode token reads,
 * the device-to-device copy bandwidth (our {@code copy_floats} kernel, read plus write bytes over the time),
 * and the floor, bandwidth / bytes per token.
 *
 * <pre>java -cp ... dev.gantry.gpu.GpuBench MODEL.gguf [--prompt-tokens N] [--gen-tokens N] [--device N]</pre>
 */
public final class GpuBench {

    private GpuBench() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: GpuBench MODEL.gguf [--prompt-tokens N] [--gen-tokens N] [--device N]");
            System.exit(2);
        }
        Path modelPath = Path.of(args[0]);
        int promptTokens = 128;
        int genTokens = 128;
        int device = 0;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--prompt-tokens" -> promptTokens = Integer.parseInt(args[i + 1]);
                case "--gen-tokens" -> genTokens = Integer.parseInt(args[i + 1]);
                case "--device" -> device = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        CudaProbe.Result probe = CudaProbe.result();
        if (!probe.usable()) {
            System.err.println("GpuBench: " + probe.unavailableReason().orElseThrow());
            System.exit(3);
        }
        try (LlamaModel model = LlamaModel.open(modelPath);
             JCudaLauncher gpu = new JCudaLauncher(device)) {
            double bandwidth = copyBandwidth(gpu);
            int context = promptTokens + genTokens + 1;
            try (CudaForward forward = new CudaForward(model, gpu, Math.min(512, promptTokens), 1, context, 16,
                    true)) {
                int[] prompt = new int[promptTokens];
                for (int i = 0; i < promptTokens; i++) {
                    prompt[i] = 1 + (i * 7919) % (forward.vocabularySize() - 1);
                }
                forward.generateGreedy(prompt, 4);  // warm-up: module loading, first-touch allocations
                CudaForward.Sequence s = forward.newSequence();
                long t0 = System.nanoTime();
                int next = forward.prefill(s, prompt);
                gpu.synchronize();
                long t1 = System.nanoTime();
                for (int i = 1; i < genTokens; i++) {
                    next = forward.decode(List.of(s), new int[] {next})[0];
                }
                gpu.synchronize();
                long t2 = System.nanoTime();
                s.release();
                long bytesPerToken = CudaForward.decodeWeightBytes(model.weights());
                double decode = (genTokens - 1) / ((t2 - t1) / 1e9);
                double floor = bandwidth / bytesPerToken;
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("model", modelPath.getFileName().toString());
                line.put("device", gpu.name() + " " + probe.devices().get(device));
                line.put("prompt_tokens", promptTokens);
                line.put("gen_tokens", genTokens);
                line.put("prefill_tokens_per_s", promptTokens / ((t1 - t0) / 1e9));
                line.put("decode_tokens_per_s", decode);
                line.put("weight_bytes_per_token", bytesPerToken);
                line.put("bandwidth_gb_per_s", bandwidth / 1e9);
                line.put("floor_tokens_per_s", floor);
                line.put("floor_fraction", decode / floor);
                System.out.println(json(line));
            }
        }
    }

    /** Best of a few device-to-device copies of 1 GiB (512 MiB read, 512 MiB written), in bytes per second. */
    static double copyBandwidth(JCudaLauncher gpu) {
        long count = (256L << 20) / 2;  // floats in 512 MiB
        GpuBuffer src = gpu.allocate(4 * count);
        GpuBuffer dst = gpu.allocate(4 * count);
        try {
            List<Double> rates = new ArrayList<>();
            for (int rep = 0; rep < 6; rep++) {
                gpu.synchronize();
                long t0 = System.nanoTime();
                gpu.launch(Kernels.copyFloats(src, dst, count, 4096));
                gpu.synchronize();
                long t1 = System.nanoTime();
                if (rep > 0) {
                    rates.add(2.0 * 4 * count / ((t1 - t0) / 1e9));
                }
            }
            return rates.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        } finally {
            gpu.free(src);
            gpu.free(dst);
        }
    }

    private static String json(Map<String, Object> line) {
        return line.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + (e.getValue() instanceof String s
                ? "\"" + s.replace("\"", "'") + "\"" : e.getValue() instanceof Double d
                ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(e.getValue())))
                .collect(Collectors.joining(",", "{", "}"));
    }
}
