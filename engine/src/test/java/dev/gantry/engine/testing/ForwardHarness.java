package dev.gantry.engine.testing;

import dev.gantry.engine.compute.CpuDevice;
import dev.gantry.engine.kv.KvCacheConfig;
import dev.gantry.engine.kv.PagedKvCache;
import dev.gantry.engine.kv.SequenceBlocks;
import dev.gantry.engine.llama.ForwardBatch;
import dev.gantry.engine.llama.ForwardPass;
import dev.gantry.engine.llama.LlamaModel;
import dev.gantry.engine.plugin.ActivePlugins;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.engine.plugin.PluginSelection;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.AttentionMask;
import dev.gantry.spi.attention.AttentionPhase;
import dev.gantry.spi.scheduler.StepLimits;

import java.util.Optional;

/**
 * A model with a forward pass and KV cache built from the installed plugins, exposing raw logits — for tests
 * that compare forward passes with each other.
 */
public final class ForwardHarness implements AutoCloseable {

    private final LlamaModel model;
    private final CpuDevice device;
    private final PagedKvCache cache;
    private final ForwardPass forward;
    private final ForwardBatch batch;
    private long nextId = 1;

    public ForwardHarness(LlamaModel model, PluginSelection selection, int threads, int maxChunk) {
        this.model = model;
        ActivePlugins plugins = ActivePlugins.create(PluginRegistry.discover(), selection, model.info(),
                Optional.empty(), new StepLimits(maxChunk, 8), 16, threads, "test", 1);
        this.device = new CpuDevice(threads);
        this.cache = new PagedKvCache(plugins.kvCodec(), model.config().layers(), model.config().kvHeads(),
                model.config().headDim(), new KvCacheConfig(16, 64L << 20, 0, false));
        this.forward = new ForwardPass(model, device, plugins.attention(), cache, maxChunk, 8);
        this.batch = forward.newBatch();
    }

    /** A fresh, empty sequence. */
    public Sequence newSequence() {
        return new Sequence(new SequenceId(nextId++), cache.newSequence());
    }

    public int vocab() {
        return model.weights().vocabularySize();
    }

    /** One sequence's KV and id. */
    public final class Sequence {
        private final SequenceId id;
        private final SequenceBlocks blocks;

        Sequence(SequenceId id, SequenceBlocks blocks) {
            this.id = id;
            this.blocks = blocks;
        }

        /** Appends {@code tokens[offset .. offset+n)} and returns the last token's logits. */
        public float[] feed(int[] tokens, int offset, int n) {
            if (!cache.reserve(blocks, n)) {
                throw new IllegalStateException("KV full");
            }
            int first = blocks.length();
            batch.clear();
            batch.beginSegment(id, blocks, n == 1 ? AttentionPhase.DECODE : AttentionPhase.PREFILL,
                    new AttentionMask.Causal(first), first);
            for (int i = 0; i < n; i++) {
                cache.appendSlot(blocks, tokens[offset + i], first + i);
                batch.addRow(tokens[offset + i], first + i, i == n - 1);
            }
            float[] logits = new float[vocab()];
            forward.forward(batch, logits);
            return logits;
        }

        public void release() {
            cache.free(blocks);
        }
    }

    @Override
    public void close() {
        device.close();
        cache.close();
    }
}
