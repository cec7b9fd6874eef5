package dev.gantry.bench;

import dev.gantry.engine.compute.CpuDevice;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The light kernels at TinyLlama's sizes for one token, on the calling thread: RMSNorm over 2048, SwiGLU over
 * 5632, softmax over a 32000-entry vocabulary, RoPE of 32 heads of 64. Each benchmark has a twin forked with
 * {@code -Dgantry.vector=off}, the scalar code. Scores are nanoseconds per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class ElementwiseBenchmark {

    private CpuDevice device;
    private float[] x;
    private float[] norm;
    private float[] out;
    private float[] gate;
    private float[] gateCopy;
    private float[] up;
    private float[] logits;
    private float[] logitsCopy;
    private float[] q;
    private float[] cos;
    private float[] sin;

    @Setup(Level.Trial)
    public void setUp() {
        device = new CpuDevice(1);
        x = RandomWeights.activations(2048, 1);
        norm = RandomWeights.activations(2048, 2);
        out = new float[2048];
        gate = RandomWeights.activations(5632, 3);
        gateCopy = gate.clone();
        up = RandomWeights.activations(5632, 4);
        logits = RandomWeights.activations(32000, 5);
        logitsCopy = logits.clone();
        q = RandomWeights.activations(32 * 64, 6);
        cos = new float[32];
        sin = new float[32];
        for (int i = 0; i < 32; i++) {
            double theta = 100 * Math.pow(10000, -i / 32.0);
            cos[i] = (float) Math.cos(theta);
            sin[i] = (float) Math.sin(theta);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
    }

    @Benchmark
    public float[] rmsNorm() {
        device.rmsNorm(x, 1, 2048, norm, 1e-5f, out);
        return out;
    }

    @Benchmark
    @Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dgantry.vector=off"})
    public float[] rmsNormScalar() {
        return rmsNorm();
    }

    @Benchmark
    public float[] swiglu() {
        System.arraycopy(gateCopy, 0, gate, 0, gate.length);
        device.swiglu(gate, up, 1, 5632);
        return gate;
    }

    @Benchmark
    @Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dgantry.vector=off"})
    public float[] swigluScalar() {
        return swiglu();
    }

    @Benchmark
    public float[] softmax() {
        System.arraycopy(logitsCopy, 0, logits, 0, logits.length);
        device.softmax(logits, 0, logits.length);
        return logits;
    }

    @Benchmark
    @Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dgantry.vector=off"})
    public float[] softmaxScalar() {
        return softmax();
    }

    @Benchmark
    public float[] rope() {
        device.rope(q, 0, 32, 64, 32, cos, sin);
        return q;
    }

    @Benchmark
    @Fork(jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dgantry.vector=off"})
    public float[] ropeScalar() {
        return rope();
    }
}
