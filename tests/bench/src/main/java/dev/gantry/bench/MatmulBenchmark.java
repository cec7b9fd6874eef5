package dev.gantry.bench;

import dev.gantry.engine.compute.CpuDevice;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
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
import java.util.concurrent.TimeUnit;

/**
 * {@link CpuDevice#matmul} as the forward pass calls it, on TinyLlama's matrix shapes (the output projection,
 * 32000 × 2048, is larger than the caches in every format; the smaller ones show the cost of each call's
 * hand-off to the threads, which a decode step pays 155 times): {@code n=1} is a decode step, {@code n=8}
 * a batched decode of eight sequences, {@code n=128} a prefill chunk. Scores are milliseconds per product;
 * {@code n} over the score is tokens per millisecond. Batching pays when the {@code n=8} score is far below
 * eight times the {@code n=1} score (each weight block is decoded once for all eight tokens).
 * Scalar twins: add {@code -jvmArgsAppend -Dgantry.vector=off}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class MatmulBenchmark {

    @Param({"Q8_0", "Q4_0", "F16"})
    public String type;

    @Param({"1", "8", "128"})
    public int n;

    @Param({"2"})
    public int threads;

    /** Rows × columns: TinyLlama's output projection, FFN gate/up, FFN down, attention q/o, attention k/v. */
    @Param({"32000x2048", "5632x2048", "2048x5632", "2048x2048", "256x2048"})
    public String shape;

    private Arena arena;
    private CpuDevice device;
    private Tensor weight;
    private float[] x;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        int rows = Integer.parseInt(shape.substring(0, shape.indexOf('x')));
        int cols = Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
        arena = Arena.ofShared();
        weight = RandomWeights.matrix(arena, GgmlType.valueOf(type), rows, cols, 3);
        device = new CpuDevice(threads);
        x = RandomWeights.activations(n * cols, 4);
        out = new float[n * rows];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
        arena.close();
    }

    @Benchmark
    public float[] matmul() {
        device.matmul(weight, x, n, out);
        return out;
    }
}
