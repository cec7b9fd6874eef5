package dev.gantry.engine;

import dev.gantry.engine.compute.CpuDevice;
import dev.gantry.engine.compute.Device;
import dev.gantry.engine.kv.KvBlockPool;
import dev.gantry.engine.kv.SequenceKv;
import dev.gantry.engine.llama.ForwardPass;
import dev.gantry.engine.llama.LlamaModel;
import dev.gantry.engine.plugin.ActivePlugins;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.engine.sample.Sampler;
import dev.gantry.engine.tokenizer.Tokenizer;
import dev.gantry.spi.ReleaseReason;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.AttentionPhase;
import dev.gantry.spi.scheduler.StepLimits;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A model ready to generate: the model file, a compute device, the configured plugins (found through
 * {@link PluginRegistry}), the KV cache and the forward pass, wired together.
 *
 * <p>{@link #generate} runs one sequence at a time: prefill in chunks, then one token per step, with KV stored
 * through the configured codec and attention computed by the configured backend. Not thread-safe.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Engine.class.getName());

    private final LlamaModel model;
    private final Device device;
    private final ActivePlugins plugins;
    private final KvBlockPool pool;
    private final ForwardPass forward;
    private final float[] logits;
    private long nextSequenceId = 1;

    private Engine(LlamaModel model, EngineOptions options, PluginRegistry registry) {
        this.model = model;
        this.plugins = ActivePlugins.create(registry, options.plugins(), model.info(), Optional.of(model.path()),
                new StepLimits(Math.max(options.maxChunkTokens(), 1), 256), options.blockSize(), options.threads(),
                options.instanceId());
        this.device = new CpuDevice(options.threads());
        this.pool = new KvBlockPool(plugins.kvCodec(), model.config().layers(), model.config().kvHeads(),
                model.config().headDim(), options.blockSize(), options.kvBudgetBytes());
        this.forward = new ForwardPass(model, device, plugins.attention(), pool, options.maxChunkTokens());
        this.logits = new float[model.weights().vocabularySize()];
        LOG.info(() -> "engine ready: " + model.info().name() + " on " + device.name() + " with "
                + device.threads() + " threads; plugins " + String.join(", ", plugins.names()) + "; KV "
                + pool.totalBlocks() + " blocks of " + pool.blockSize() + " tokens");
    }

    /**
     * Opens a model and wires it with the plugins the options select.
     *
     * @throws dev.gantry.engine.gguf.GgufFormatException for a bad model file
     * @throws dev.gantry.engine.plugin.UnknownPluginException for an unknown plugin name
     */
    public static Engine open(Path modelPath, EngineOptions options) {
        return open(modelPath, options, PluginRegistry.discover());
    }

    /** Opens a model with plugins from a given registry. */
    public static Engine open(Path modelPath, EngineOptions options, PluginRegistry registry) {
        LlamaModel model = LlamaModel.open(modelPath);
        try {
            return new Engine(model, options, registry);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public LlamaModel model() {
        return model;
    }

    public ActivePlugins plugins() {
        return plugins;
    }

    public Tokenizer tokenizer() {
        return model.tokenizer();
    }

    /** The prompt's token ids as the request gives them or the tokenizer encodes them (BOS as the model says). */
    public int[] promptTokens(GenerationRequest request) {
        return request.promptTokens() != null ? request.promptTokens()
                : model.tokenizer().encode(request.prompt(), true);
    }

    /** Generates for one request, start to finish. */
    public GenerationResult generate(GenerationRequest request) {
        int[] prompt = promptTokens(request);
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty and this model adds no BOS token: nothing to "
                    + "condition on");
        }
        int context = model.config().contextLength();
        if (prompt.length >= context) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens; the model's context is "
                    + context);
        }
        SequenceId id = new SequenceId(nextSequenceId++);
        SequenceKv kv = new SequenceKv(pool);
        Sampler sampler = Sampler.of(request.temperature(), request.seed());
        Tokenizer tokenizer = model.tokenizer();
        int vocab = logits.length;
        int[] out = new int[Math.min(request.maxTokens(), context - prompt.length)];
        int produced = 0;
        String finish = "length";
        long t0 = System.nanoTime();
        long prefillNanos = 0;
        try {
            if (out.length > 0) {
                for (int done = 0; done < prompt.length; ) {
                    int n = Math.min(forward.maxChunk(), prompt.length - done);
                    reserve(kv, n);
                    boolean last = done + n == prompt.length;
                    forward.forward(id, kv, prompt, done, n, AttentionPhase.PREFILL, last ? logits : null);
                    done += n;
                }
                forward.prefillDone(id);
                int token = sampler.sample(logits, vocab);
                prefillNanos = System.nanoTime() - t0;
                int[] one = new int[1];
                while (true) {
                    if (!request.ignoreEos() && tokenizer.isEndOfGeneration(token)) {
                        finish = "stop";
                        break;
                    }
                    out[produced++] = token;
                    if (produced == out.length) {
                        break;
                    }
                    one[0] = token;
                    reserve(kv, 1);
                    forward.forward(id, kv, one, 0, 1, AttentionPhase.DECODE, logits);
                    token = sampler.sample(logits, vocab);
                }
            }
        } finally {
            kv.release();
            plugins.attention().release(id, ReleaseReason.FINISHED);
            plugins.speculator().release(id, ReleaseReason.FINISHED);
        }
        long decodeNanos = System.nanoTime() - t0 - prefillNanos;
        int[] tokens = Arrays.copyOf(out, produced);
        return new GenerationResult(prompt, tokens, tokenizer.decode(tokens), finish, prefillNanos, decodeNanos);
    }

    private void reserve(SequenceKv kv, int n) {
        if (!kv.reserve(n)) {
            throw new IllegalStateException("the KV cache (" + pool.totalBlocks() + " blocks of " + pool.blockSize()
                    + " tokens) cannot hold " + (kv.length() + n) + " tokens; raise the KV budget");
        }
    }

    @Override
    public void close() {
        device.close();
        pool.close();
        model.close();
    }
}
