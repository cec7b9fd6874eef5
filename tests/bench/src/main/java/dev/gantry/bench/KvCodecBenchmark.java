package dev.gantry.bench;

import dev.gantry.plugins.baseline.kv.F16KvCodec;
import dev.gantry.plugins.baseline.kv.F32KvCodec;
import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvLayout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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
 * The baseline KV codecs' reads, which attention decode makes once per slot and head: {@code dotKey} (query ·
 * stored key) and {@code accumulateValue} (weight × stored value added to the output), the fused ones, and
 * {@code decodeKey} (the stored key as floats, what {@code DenseAttention} reads once per KV head), for
 * TinyLlama's heads of 64 over 128 blocks of 16 slots (2048 tokens of context, one KV head). Scores are
 * nanoseconds per slot. Scalar twins: add {@code -jvmArgsAppend -Dgantry.vector=off}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class KvCodecBenchmark {

    private static final int BLOCKS = 128;
    private static final int BLOCK_SIZE = 16;
    private static final int SLOTS = BLOCKS * BLOCK_SIZE;

    @Param({"f32", "f16"})
    public String codec;

    private Arena arena;
    private KVCodec kv;
    private KvLayout layout;
    private MemorySegment[] blocks;
    private float[] q;
    private float[] acc;

    @Setup(Level.Trial)
    public void setUp() {
        kv = codec.equals("f32") ? new F32KvCodec() : new F16KvCodec();
        layout = new KvLayout(0, 1, 4, 64, BLOCK_SIZE);
        arena = Arena.ofShared();
        blocks = new MemorySegment[BLOCKS];
        float[] keys = RandomWeights.activations(BLOCK_SIZE * layout.kvDim(), 1);
        float[] values = RandomWeights.activations(BLOCK_SIZE * layout.kvDim(), 2);
        int[] positions = new int[BLOCK_SIZE];
        for (int b = 0; b < BLOCKS; b++) {
            blocks[b] = arena.allocate(kv.spec(layout).blockBytes(BLOCK_SIZE), 64);
            kv.encode(layout, blocks[b], 0, BLOCK_SIZE, keys, 0, values, 0, positions, 0);
        }
        q = RandomWeights.activations(64, 3);
        acc = new float[64];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(SLOTS)
    public float dotKey() {
        float sum = 0f;
        for (int s = 0; s < SLOTS; s++) {
            sum += kv.dotKey(layout, blocks[s / BLOCK_SIZE], s % BLOCK_SIZE, 1, q, 0);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(SLOTS)
    public float[] decodeKey() {
        for (int s = 0; s < SLOTS; s++) {
            kv.decodeKey(layout, blocks[s / BLOCK_SIZE], s % BLOCK_SIZE, 1, acc, 0);
        }
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(SLOTS)
    public float[] accumulateValue() {
        for (int s = 0; s < SLOTS; s++) {
            kv.accumulateValue(layout, blocks[s / BLOCK_SIZE], s % BLOCK_SIZE, 1, 1e-4f, acc, 0);
        }
        return acc;
    }
}
