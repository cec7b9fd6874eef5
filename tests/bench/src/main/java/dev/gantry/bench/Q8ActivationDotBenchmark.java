package dev.gantry.bench;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.TensorFormat;
import dev.gantry.engine.tensor.TensorFormats;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * Whether quantising the activations to Q8_0 (as llama.cpp does) would pay for Q8_0 weights: the engine's dot
 * product (weights widened to floats, multiplied into float activations) against an int8 × int8 dot product of
 * the same row with activations quantised once, per row of 2048 in L2. The Vector API of JDK 25 has no int8
 * dot-product instruction (VNNI's {@code vpdpbusd}), so the int8 products must be widened to 16 bits and their
 * sums to 32 bits before the block's scales apply; this measures whether that beats widening the weights to
 * floats. The int8 kernel lives here, not in the engine: on the machines measured so far it did not clearly
 * pay, and float activations keep the engine's results closer to exact. 512-bit vectors only (on narrower
 * machines the JVM emulates them, slowly). Scores are nanoseconds per row.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class Q8ActivationDotBenchmark {

    private static final int COLS = 2048;
    private static final int ROWS = 64;
    private static final VectorSpecies<Byte> B256 = ByteVector.SPECIES_256;
    private static final VectorSpecies<Short> S512 = ShortVector.SPECIES_512;
    private static final VectorSpecies<Integer> I512 = IntVector.SPECIES_512;
    private static final VectorSpecies<Float> F512 = FloatVector.SPECIES_512;
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Arena arena;
    private Tensor weight;
    private TensorFormat format;
    private float[] x;
    private MemorySegment xq;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        weight = RandomWeights.matrix(arena, GgmlType.Q8_0, ROWS, COLS, 1);
        format = TensorFormats.of(GgmlType.Q8_0);
        x = RandomWeights.activations(COLS, 2);
        xq = arena.allocate(GgmlType.Q8_0.bytesFor(COLS));
        TensorFormats.scalar(GgmlType.Q8_0).quantize(x, 0, COLS, xq, 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** The engine's kernel: float activations. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public float floatActivations() {
        float sum = 0f;
        for (int r = 0; r < ROWS; r++) {
            sum += format.dot(weight.data(), (long) r * COLS, x, 0, COLS);
        }
        return sum;
    }

    /** Activations quantised to Q8_0 once (outside the timing, as a matmul would per call), int8 products. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public float int8Activations() {
        float sum = 0f;
        long rowBytes = GgmlType.Q8_0.bytesFor(COLS);
        for (int r = 0; r < ROWS; r++) {
            sum += int8Dot(weight.data(), r * rowBytes, xq, COLS / 32);
        }
        return sum;
    }

    private static float int8Dot(MemorySegment w, long wBase, MemorySegment xq, int blocks) {
        FloatVector acc = FloatVector.zero(F512);
        for (int b = 0; b < blocks; b++) {
            long wb = wBase + 34L * b;
            long xb = 34L * b;
            ShortVector qw = (ShortVector) ByteVector.fromMemorySegment(B256, w, wb + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2S, S512, 0);
            ShortVector qx = (ShortVector) ByteVector.fromMemorySegment(B256, xq, xb + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2S, S512, 0);
            ShortVector p = qw.mul(qx);
            IntVector s = ((IntVector) p.convertShape(VectorOperators.S2I, I512, 0))
                    .add((IntVector) p.convertShape(VectorOperators.S2I, I512, 1));
            float scale = Float.float16ToFloat(w.get(HALF, wb)) * Float.float16ToFloat(xq.get(HALF, xb));
            acc = ((FloatVector) s.convertShape(VectorOperators.I2F, F512, 0))
                    .fma(FloatVector.broadcast(F512, scale), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
