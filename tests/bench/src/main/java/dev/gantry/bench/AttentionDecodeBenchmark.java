package dev.gantry.bench;

import dev.gantry.engine.kv.KvCacheConfig;
import dev.gantry.engine.kv.PagedKvCache;
import dev.gantry.engine.kv.PagedKvView;
import dev.gantry.engine.kv.SequenceBlocks;
import dev.gantry.plugins.baseline.attention.DenseAttention;
import dev.gantry.plugins.baseline.kv.F16KvCodec;
import dev.gantry.plugins.baseline.kv.F32KvCodec;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.AttentionCall;
import dev.gantry.spi.attention.AttentionMask;
import dev.gantry.spi.attention.AttentionPhase;
import dev.gantry.spi.attention.KvSequenceView;
import dev.gantry.spi.attention.LayerInfo;
import dev.gantry.spi.attention.StepState;
import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvLayout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One layer of attention decode with the baseline {@link DenseAttention}: one query token, TinyLlama's 32 heads
 * sharing 4 KV heads of 64, over {@code context} cached tokens stored in 16-slot blocks through the F32 or F16
 * codec, read through the engine's own paged cache and view. Scores are microseconds per layer; a decode step of
 * TinyLlama pays it 22 times.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class AttentionDecodeBenchmark {

    private static final int HEADS = 32;
    private static final int KV_HEADS = 4;
    private static final int HEAD_DIM = 64;
    private static final int BLOCK_SIZE = 16;

    @Param({"f32", "f16"})
    public String codec;

    @Param({"128", "2048"})
    public int context;

    private PagedKvCache cache;
    private final DenseAttention attention = new DenseAttention();
    private Call call;

    @Setup(Level.Trial)
    public void setUp() {
        KVCodec kv = codec.equals("f32") ? new F32KvCodec() : new F16KvCodec();
        int kvDim = KV_HEADS * HEAD_DIM;
        long budget = (long) (context + BLOCK_SIZE) * kv.spec(new KvLayout(0, 1, KV_HEADS, HEAD_DIM, BLOCK_SIZE))
                .bytesPerToken();
        cache = new PagedKvCache(kv, 1, KV_HEADS, HEAD_DIM, new KvCacheConfig(BLOCK_SIZE, budget, 0, false));
        SequenceBlocks sequence = cache.newSequence();
        if (!cache.reserve(sequence, context)) {
            throw new IllegalStateException("the KV budget holds fewer than " + context + " tokens");
        }
        PagedKvView view = new PagedKvView(cache).bind(sequence, 0);
        for (int t = 0; t < context; t++) {
            int slot = cache.appendSlot(sequence, 1, t);
            view.write(slot, RandomWeights.activations(kvDim, 2L * t), 0, RandomWeights.activations(kvDim, 2L * t + 1),
                    0, t);
        }
        LayerInfo layer = new LayerInfo(0, 1, HEADS, KV_HEADS, HEAD_DIM);
        call = new Call(layer, RandomWeights.activations(HEADS * HEAD_DIM, 7), new float[HEADS * HEAD_DIM], view,
                new AttentionMask.Causal(context - 1));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
    }

    @Benchmark
    public float[] decodeOneLayer() {
        attention.attend(call);
        return call.output();
    }

    /** One decode query. */
    record Call(LayerInfo layer, float[] queries, float[] output, KvSequenceView kv, AttentionMask mask)
            implements AttentionCall {
        @Override
        public SequenceId sequence() {
            return new SequenceId(1);
        }

        @Override
        public AttentionPhase phase() {
            return AttentionPhase.DECODE;
        }

        @Override
        public int queryCount() {
            return 1;
        }

        @Override
        public int queryPosition(int i) {
            return kv.length() - 1;
        }

        @Override
        public int queriesOffset() {
            return 0;
        }

        @Override
        public float scale() {
            return layer.scale();
        }

        @Override
        public int outputOffset() {
            return 0;
        }

        @Override
        public StepState stepState() {
            return null;
        }
    }
}
