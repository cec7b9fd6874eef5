package dev.gantry.bench;

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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * One layer of attention decode with the baseline {@link DenseAttention}: one query token, TinyLlama's 32 heads
 * sharing 4 KV heads of 64, over {@code context} cached tokens stored in 16-slot blocks through the F32 or F16
 * codec, read the way the engine's paged view reads them. Scores are microseconds per layer; a decode step of
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

    private Arena arena;
    private final DenseAttention attention = new DenseAttention();
    private Call call;

    @Setup(Level.Trial)
    public void setUp() {
        KVCodec kv = codec.equals("f32") ? new F32KvCodec() : new F16KvCodec();
        KvLayout layout = new KvLayout(0, 1, KV_HEADS, HEAD_DIM, BLOCK_SIZE);
        arena = Arena.ofShared();
        int blocks = (context + BLOCK_SIZE - 1) / BLOCK_SIZE;
        MemorySegment[] memory = new MemorySegment[blocks];
        int[] positions = new int[BLOCK_SIZE];
        for (int b = 0; b < blocks; b++) {
            memory[b] = arena.allocate(kv.spec(layout).blockBytes(BLOCK_SIZE), 64);
            float[] keys = RandomWeights.activations(BLOCK_SIZE * layout.kvDim(), 2L * b);
            float[] values = RandomWeights.activations(BLOCK_SIZE * layout.kvDim(), 2L * b + 1);
            kv.encode(layout, memory[b], 0, BLOCK_SIZE, keys, 0, values, 0, positions, 0);
        }
        LayerInfo layer = new LayerInfo(0, 1, HEADS, KV_HEADS, HEAD_DIM);
        call = new Call(layer, RandomWeights.activations(HEADS * HEAD_DIM, 7), new float[HEADS * HEAD_DIM],
                new BlockView(kv, layout, memory, context), new AttentionMask.Causal(context - 1));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float[] decodeOneLayer() {
        attention.attend(call);
        return call.output();
    }

    /** The cached tokens in fixed blocks, read through the codec as the engine's paged view does. */
    record BlockView(KVCodec codec, KvLayout layout, MemorySegment[] blocks, int length) implements KvSequenceView {
        @Override
        public int blockSize() {
            return BLOCK_SIZE;
        }

        @Override
        public int position(int slot) {
            return slot;
        }

        @Override
        public float dotKey(int slot, int kvHead, float[] q, int qOffset) {
            return codec.dotKey(layout, blocks[slot / BLOCK_SIZE], slot % BLOCK_SIZE, kvHead, q, qOffset);
        }

        @Override
        public void accumulateValue(int slot, int kvHead, float weight, float[] acc, int accOffset) {
            codec.accumulateValue(layout, blocks[slot / BLOCK_SIZE], slot % BLOCK_SIZE, kvHead, weight, acc,
                    accOffset);
        }

        @Override
        public void readKey(int slot, int kvHead, float[] dst, int dstOffset) {
            codec.decodeKey(layout, blocks[slot / BLOCK_SIZE], slot % BLOCK_SIZE, kvHead, dst, dstOffset);
        }

        @Override
        public void readValue(int slot, int kvHead, float[] dst, int dstOffset) {
            codec.decodeValue(layout, blocks[slot / BLOCK_SIZE], slot % BLOCK_SIZE, kvHead, dst, dstOffset);
        }

        /** Packed ranges block by block, as the engine's view reads them. */
        @Override
        public void readKeys(int firstSlot, int count, int kvHead, float[] dst, int dstOffset, int dstStride) {
            if (dstStride != layout.headDim()) {
                KvSequenceView.super.readKeys(firstSlot, count, kvHead, dst, dstOffset, dstStride);
            } else {
                readPacked(false, firstSlot, count, kvHead, dst, dstOffset);
            }
        }

        @Override
        public void readValues(int firstSlot, int count, int kvHead, float[] dst, int dstOffset, int dstStride) {
            if (dstStride != layout.headDim()) {
                KvSequenceView.super.readValues(firstSlot, count, kvHead, dst, dstOffset, dstStride);
            } else {
                readPacked(true, firstSlot, count, kvHead, dst, dstOffset);
            }
        }

        private void readPacked(boolean values, int firstSlot, int count, int kvHead, float[] dst, int dstOffset) {
            for (int slot = firstSlot; slot < firstSlot + count; ) {
                int n = Math.min(firstSlot + count - slot, BLOCK_SIZE - slot % BLOCK_SIZE);
                MemorySegment block = blocks[slot / BLOCK_SIZE];
                int at = dstOffset + (slot - firstSlot) * layout.headDim();
                if (values) {
                    codec.decodeValues(layout, block, slot % BLOCK_SIZE, n, kvHead, dst, at);
                } else {
                    codec.decodeKeys(layout, block, slot % BLOCK_SIZE, n, kvHead, dst, at);
                }
                slot += n;
            }
        }
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
