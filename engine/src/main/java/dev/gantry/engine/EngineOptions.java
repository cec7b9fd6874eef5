package dev.gantry.engine;

import dev.gantry.engine.plugin.PluginSelection;

/**
 * How an {@link Engine} is set up.
 *
 * @param threads        compute threads
 * @param kvBudgetBytes  memory for the KV cache
 * @param blockSize      tokens per KV block
 * @param maxChunkTokens the most prompt tokens one forward processes (longer prompts are prefilled in chunks)
 * @param plugins        which implementation each extension point uses, and plugin settings
 * @param instanceId     this instance's id (preemption events name it)
 */
public record EngineOptions(int threads, long kvBudgetBytes, int blockSize, int maxChunkTokens,
                            PluginSelection plugins, String instanceId) {

    public EngineOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        if (blockSize < 1 || maxChunkTokens < 1 || kvBudgetBytes < 1) {
            throw new IllegalArgumentException("block size, chunk size and KV budget must be positive");
        }
    }

    /** Defaults: every available core, 256 MiB of KV, blocks of 16, chunks of 256, the baseline plugins. */
    public static EngineOptions defaults() {
        return new EngineOptions(Runtime.getRuntime().availableProcessors(), 256L << 20, 16, 256,
                PluginSelection.defaults(), "local");
    }

    public EngineOptions withThreads(int n) {
        return new EngineOptions(n, kvBudgetBytes, blockSize, maxChunkTokens, plugins, instanceId);
    }

    public EngineOptions withPlugins(PluginSelection p) {
        return new EngineOptions(threads, kvBudgetBytes, blockSize, maxChunkTokens, p, instanceId);
    }

    public EngineOptions withKvBudget(long bytes) {
        return new EngineOptions(threads, bytes, blockSize, maxChunkTokens, plugins, instanceId);
    }

    public EngineOptions withMaxChunkTokens(int n) {
        return new EngineOptions(threads, kvBudgetBytes, blockSize, n, plugins, instanceId);
    }
}
