package dev.gantry.engine;

import dev.gantry.engine.compute.Device;
import dev.gantry.engine.kv.KvCacheConfig;
import dev.gantry.engine.kv.PagedKvCache;
import dev.gantry.engine.llama.ForwardPass;
import dev.gantry.engine.llama.LlamaForward;
import dev.gantry.engine.llama.LlamaModel;
import dev.gantry.engine.llama.ResidentForwardSource;
import dev.gantry.engine.loop.IterationLoop;
import dev.gantry.engine.loop.LoopStats;
import dev.gantry.engine.loop.TokenStream;
import dev.gantry.engine.plugin.ActivePlugins;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.engine.tokenizer.Tokenizer;
import dev.gantry.spi.scheduler.PreemptionMode;
import dev.gantry.spi.scheduler.StepLimits;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;

/**
 * A model ready to serve: the model file, a compute device, the configured plugins (found through
 * {@link PluginRegistry}), the paged KV cache, the forward pass and the {@link IterationLoop} that batches every
 * request in flight, wired together. The forward pass is the device's resident one when the device is a
 * {@link ResidentForwardSource} that accepts the set-up, the engine's {@link ForwardPass} otherwise.
 *
 * <p>{@link #submit} is the streaming entry point and may be called from any thread; {@link #generate} waits
 * for the whole result.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Engine.class.getName());

    private final LlamaModel model;
    private final Device device;
    private final ActivePlugins plugins;
    private final PagedKvCache cache;
    private final LlamaForward forward;
    private final IterationLoop loop;

    /** @param device the device to compute on, or null to open the one the options select */
    private Engine(LlamaModel model, EngineOptions options, PluginRegistry registry, Device device) {
        this.model = model;
        StepLimits limits = new StepLimits(options.maxStepTokens(), options.maxSequences());
        this.plugins = ActivePlugins.create(registry, options.plugins(), model.info(), Optional.of(model.path()),
                limits, options.blockSize(), options.threads(), options.instanceId(), options.maxTreeSize());
        boolean swaps = plugins.scheduler().preemptionModes().contains(PreemptionMode.SWAP);
        this.cache = new PagedKvCache(plugins.kvCodec(), model.config().layers(), model.config().kvHeads(),
                model.config().headDim(), new KvCacheConfig(options.blockSize(), options.kvBudgetBytes(),
                swaps ? options.hostSwapBytes() : 0, options.prefixCaching()));
        this.device = device != null ? device : options.device().open(options.threads());
        int treeSize = Math.min(options.maxTreeSize(), plugins.speculator().maxTreeSize());
        int maxRows = options.maxStepTokens() + Math.min(4096, options.maxSequences() * (treeSize - 1));
        this.forward = forwardPass(model, this.device, plugins, cache, maxRows, options.maxSequences());
        this.loop = new IterationLoop(model, forward, cache, plugins, limits, options.maxWaiting(), treeSize);
        loop.start();
        LOG.info(() -> "engine ready: " + model.info().name() + " on " + this.device.name() + " with "
                + this.device.threads() + " threads, forward " + forward.describe() + "; plugins "
                + String.join(", ", plugins.names()) + "; KV " + cache.budget().totalBlocks() + " blocks of "
                + options.blockSize() + " tokens");
    }

    /** The device's resident forward pass when it offers one for this set-up, else the engine's own. */
    private static LlamaForward forwardPass(LlamaModel model, Device device, ActivePlugins plugins,
                                            PagedKvCache cache, int maxRows, int maxSegments) {
        Optional<LlamaForward> resident = device instanceof ResidentForwardSource source
                ? source.residentForward(model, plugins.attention(), cache, maxRows, maxSegments) : Optional.empty();
        return resident.orElseGet(() -> new ForwardPass(model, device, plugins.attention(), cache, maxRows,
                maxSegments));
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
        return open(modelPath, options, registry, null);
    }

    /**
     * Opens a model on a given device instead of the one {@code options.device()} selects (tests run a GPU
     * device's kernels elsewhere this way). The engine takes the device over and closes it.
     *
     * @param device the device, or null for the one the options select
     */
    public static Engine open(Path modelPath, EngineOptions options, PluginRegistry registry, Device device) {
        LlamaModel model = LlamaModel.open(modelPath);
        try {
            return new Engine(model, options, registry, device);
        } catch (RuntimeException e) {
            model.close();
            if (device != null) {
                device.close();
            }
            throw e;
        }
    }

    public LlamaModel model() {
        return model;
    }

    /** The device the forward pass computes on ("cpu", "cuda:0"). */
    public String deviceName() {
        return device.name();
    }

    /** How the forward pass computes ("per operation on cpu", "resident on cuda:0"). */
    public String forwardPath() {
        return forward.describe();
    }

    public ActivePlugins plugins() {
        return plugins;
    }

    public Tokenizer tokenizer() {
        return model.tokenizer();
    }

    /**
     * Accepts a request and streams its output.
     *
     * @throws dev.gantry.engine.loop.QueueFullException when the waiting queue is full
     * @throws IllegalArgumentException                  when the prompt cannot be served
     */
    public TokenStream submit(GenerationRequest request) {
        return loop.submit(request);
    }

    /** Accepts several requests at once; the loop admits them together. */
    public List<TokenStream> submitAll(List<GenerationRequest> requests) {
        return loop.submitAll(requests);
    }

    /** Generates for one request and waits for the result. */
    public GenerationResult generate(GenerationRequest request) {
        return join(submit(request));
    }

    /** Generates for several requests at once (batched) and returns their results in order. */
    public List<GenerationResult> generateAll(List<GenerationRequest> requests) {
        return submitAll(requests).stream().map(Engine::join).toList();
    }

    private static GenerationResult join(TokenStream stream) {
        try {
            return stream.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** {@return bytes the KV cache stores per token, over all layers, in the active codec} */
    public long kvBytesPerToken() {
        return cache.bytesPerBlock() / cache.blockSize();
    }

    /** The loop's counters. */
    public LoopStats stats() {
        return loop.stats();
    }

    @Override
    public void close() {
        loop.close();
        forward.close();
        device.close();
        cache.close();
        model.close();
    }
}
