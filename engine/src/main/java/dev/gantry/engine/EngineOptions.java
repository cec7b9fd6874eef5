package dev.gantry.engine;

import dev.gantry.engine.compute.DeviceSelection;
import dev.gantry.engine.plugin.PluginSelection;

/**
 * How an {@link Engine} is set up.
 *
 * @param threads        compute threads
 * @param kvBudgetBytes  device memory for the KV cache
 * @param hostSwapBytes  host memory for swapped-out KV blocks (used only by schedulers that swap)
 * @param blockSize      tokens per KV block
 * @param maxStepTokens  tokens one step may process (prefill chunks and decodes together)
 * @param maxSequences   sequences one step may run
 * @param maxWaiting     requests that may wait for admission before new ones are refused
 * @param maxTreeSize    draft-tree nodes verified per sequence per step, the pending token included
 * @param prefixCaching  whether full KV blocks are shared between sequences with a common prefix
 * @param plugins        which implementation each extension point uses, and plugin settings
 * @param instanceId     this instance's id (preemption events name it)
 * @param device         where the forward pass computes ({@code auto}, {@code cpu}, {@code cuda[:N]})
 */
public record EngineOptions(int threads, long kvBudgetBytes, long hostSwapBytes, int blockSize, int maxStepTokens,
                            int maxSequences, int maxWaiting, int maxTreeSize, boolean prefixCaching,
                            PluginSelection plugins, String instanceId, DeviceSelection device) {

    /** Options on the default device, {@code auto}. */
    public EngineOptions(int threads, long kvBudgetBytes, long hostSwapBytes, int blockSize, int maxStepTokens,
                         int maxSequences, int maxWaiting, int maxTreeSize, boolean prefixCaching,
                         PluginSelection plugins, String instanceId) {
        this(threads, kvBudgetBytes, hostSwapBytes, blockSize, maxStepTokens, maxSequences, maxWaiting, maxTreeSize,
                prefixCaching, plugins, instanceId, DeviceSelection.AUTO);
    }

    public EngineOptions {
        if (device == null) {
            throw new IllegalArgumentException("device must not be null (use DeviceSelection.AUTO)");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        if (blockSize < 1 || maxStepTokens < 1 || kvBudgetBytes < 1 || maxSequences < 1 || maxWaiting < 1
                || maxTreeSize < 1 || hostSwapBytes < 0) {
            throw new IllegalArgumentException("block size, step limits, queue bound, tree size and KV budget must be"
                    + " positive");
        }
    }

    /**
     * Defaults: every available core, 256 MiB of KV (and as much host swap space), blocks of 16, 512 tokens and
     * 256 sequences per step, 1024 waiting requests, trees of up to 16 nodes, prefix caching on, baseline plugins.
     */
    public static EngineOptions defaults() {
        return new EngineOptions(Runtime.getRuntime().availableProcessors(), 256L << 20, 256L << 20, 16, 512, 256,
                1024, 16, true, PluginSelection.defaults(), "local");
    }

    /** The device: {@code auto}, {@code cpu} or {@code cuda[:N]} (see {@link DeviceSelection}). */
    public EngineOptions withDevice(DeviceSelection d) {
        return new EngineOptions(threads, kvBudgetBytes, hostSwapBytes, blockSize, maxStepTokens, maxSequences,
                maxWaiting, maxTreeSize, prefixCaching, plugins, instanceId, d);
    }

    public EngineOptions withThreads(int n) {
        return new EngineOptions(n, kvBudgetBytes, hostSwapBytes, blockSize, maxStepTokens, maxSequences, maxWaiting,
                maxTreeSize, prefixCaching, plugins, instanceId, device);
    }

    public EngineOptions withPlugins(PluginSelection p) {
        return new EngineOptions(threads, kvBudgetBytes, hostSwapBytes, blockSize, maxStepTokens, maxSequences,
                maxWaiting, maxTreeSize, prefixCaching, p, instanceId, device);
    }

    public EngineOptions withKvBudget(long bytes) {
        return new EngineOptions(threads, bytes, hostSwapBytes, blockSize, maxStepTokens, maxSequences, maxWaiting,
                maxTreeSize, prefixCaching, plugins, instanceId, device);
    }

    public EngineOptions withHostSwap(long bytes) {
        return new EngineOptions(threads, kvBudgetBytes, bytes, blockSize, maxStepTokens, maxSequences, maxWaiting,
                maxTreeSize, prefixCaching, plugins, instanceId, device);
    }

    public EngineOptions withBlockSize(int tokens) {
        return new EngineOptions(threads, kvBudgetBytes, hostSwapBytes, tokens, maxStepTokens, maxSequences,
                maxWaiting, maxTreeSize, prefixCaching, plugins, instanceId, device);
    }

    /** The per-step token budget, which is also the longest prefill chunk. */
    public EngineOptions withMaxChunkTokens(int n) {
        return new EngineOptions(threads, kvBudgetBytes, hostSwapBytes, blockSize, n, maxSequences, maxWaiting,
                maxTreeSize, prefixCaching, plugins, instanceId, device);
    }

    public EngineOptions withMaxSequences(int n) {
        return new EngineOptions(threads, kvBudgetBytes, hostSwapBytes, blockSize, maxStepTokens, n, maxWaiting,
                maxTreeSize, prefixCaching, plugins, instanceId, device);
    }

    public EngineOptions withMaxWaiting(int n) {
        return new EngineOptions(threads, kvBudgetBytes, hostSwapBytes, blockSize, maxStepTokens, maxSequences, n,
                maxTreeSize, prefixCaching, plugins, instanceId, device);
    }

    public EngineOptions withPrefixCaching(boolean on) {
        return new EngineOptions(threads, kvBudgetBytes, hostSwapBytes, blockSize, maxStepTokens, maxSequences,
                maxWaiting, maxTreeSize, on, plugins, instanceId, device);
    }
}
