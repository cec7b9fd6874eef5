package dev.gantry.engine.testing;

import dev.gantry.engine.compute.CpuDevice;
import dev.gantry.engine.kv.KvBlockPool;
import dev.gantry.engine.kv.SequenceKv;
import dev.gantry.engine.llama.ForwardPass;
import dev.gantry.engine.llama.LlamaModel;
import dev.gantry.engine.plugin.ActivePlugins;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.engine.plugin.PluginSelection;
import dev.gantry.spi.SequenceId;
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
    private final KvBlockPool pool;
    private final ForwardPass forward;
    private long nextId = 1;

    public ForwardHarness(LlamaModel model, PluginSelection selection, int threads, int maxChunk) {
        this.model = model;
        ActivePlugins plugins = ActivePlugins.create(PluginRegistry.discover(), selection, model.info(),
                Optional.empty(), new StepLimits(maxChunk, 8), 16, threads, "test");
        this.device = new CpuDevice(threads);
        this.pool = new KvBlockPool(plugins.kvCodec(), model.config().layers(), model.config().kvHeads(),
                model.config().headDim(), 16, 64L << 20);
        this.forward = new ForwardPass(model, device, plugins.attention(), pool, maxChunk);
    }

    /** A fresh, empty sequence. */
    public Sequence newSequence() {
        return new Sequence(new SequenceId(nextId++), new SequenceKv(pool));
    }

    public int vocab() {
        return model.weights().vocabularySize();
    }

    /** One sequence's KV and id. */
    public final class Sequence {
        private final SequenceId id;
        private final SequenceKv kv;

        Sequence(SequenceId id, SequenceKv kv) {
            this.id = id;
            this.kv = kv;
        }

        /** Appends {@code tokens[offset .. offset+n)} and returns the last token's logits. */
        public float[] feed(int[] tokens, int offset, int n) {
            if (!kv.reserve(n)) {
                throw new IllegalStateException("KV full");
            }
            float[] logits = new float[vocab()];
            forward.forward(id, kv, tokens, offset, n, n == 1 ? AttentionPhase.DECODE : AttentionPhase.PREFILL,
                    logits);
            return logits;
        }

        public void release() {
            kv.release();
        }
    }

    @Override
    public void close() {
        device.close();
        pool.close();
    }
}
