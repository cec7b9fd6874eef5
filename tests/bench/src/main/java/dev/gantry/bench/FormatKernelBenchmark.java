package dev.gantry.bench;

import dev.gantry.engine.tensor.BlockScales;
import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.TensorFormat;
import dev.gantry.engine.tensor.TensorFormats;
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
import java.util.concurrent.TimeUnit;

/**
 * The per-format kernels on one thread, vector against the scalar twin: a dot product per row over a matrix
 * ({@code dot}: one row at a time; {@code dot4}: four rows a quarter of the call's rows apart read together, as the
 * decode step's matrix-vector product reads them) and decoding rows to floats ({@code dequantize}: whole rows, as
 * the batched path decodes its panels; {@code dequantizePanel}: the call's rows {@value #PANEL_COLUMNS} columns at a
 * time, one {@link TensorFormat#dequantizeRows} call per column block, as the prefill path decodes its panels). {@code footprint=cache} keeps the matrix in L2 (the
 * kernel's arithmetic speed); {@code footprint=memory} makes it 256 MiB, far past the caches, and each call
 * reads the next 64 rows (the kernel as memory feeds it). Scores are nanoseconds per row of 2048 elements:
 * bytes per row (Q8_0 2176, Q4_0 1152, F16/BF16 4096, F32 8192) over the score give GB/s.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class FormatKernelBenchmark {

    private static final int COLS = 2048;
    private static final int ROWS_PER_CALL = 64;
    /** The prefill path's column blocks and the floats between its decoded panel's rows. */
    private static final int PANEL_COLUMNS = 128;
    private static final int PANEL_STRIDE = 256;

    @Param({"Q8_0", "Q4_0", "F16", "BF16", "F32"})
    public String type;

    @Param({"vector", "scalar"})
    public String kernel;

    @Param({"cache", "memory"})
    public String footprint;

    private Arena arena;
    private Tensor weight;
    /** The weight's widened block scales where the format's dot4 reads them (as the CPU product passes them). */
    private BlockScales scales;
    private TensorFormat format;
    private float[] x;
    private float[] decoded;
    private float[] panel;
    private int rows;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() {
        GgmlType t = GgmlType.valueOf(type);
        rows = footprint.equals("cache") ? ROWS_PER_CALL : (int) ((256L << 20) / t.bytesFor(COLS));
        arena = Arena.ofShared();
        weight = RandomWeights.matrix(arena, t, rows, COLS, 1);
        format = kernel.equals("vector") ? TensorFormats.of(t) : TensorFormats.scalar(t);
        scales = format.readsBlockScales() ? BlockScales.of(weight) : null;
        x = RandomWeights.activations(COLS, 2);
        decoded = new float[COLS];
        panel = new float[ROWS_PER_CALL * PANEL_STRIDE];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** Nanoseconds per row of a matrix-vector product. */
    @Benchmark
    @OperationsPerInvocation(ROWS_PER_CALL)
    public float dot() {
        int first = nextRows();
        float sum = 0f;
        for (int r = first; r < first + ROWS_PER_CALL; r++) {
            sum += format.dot(weight.data(), (long) r * COLS, x, 0, COLS);
        }
        return sum;
    }

    /** Nanoseconds per row of a matrix-vector product, four distant rows at a time. */
    @Benchmark
    @OperationsPerInvocation(ROWS_PER_CALL)
    public float[] dot4() {
        int first = nextRows();
        int quarter = ROWS_PER_CALL / 4;
        for (int r = first; r < first + quarter; r++) {
            format.dot4(weight.data(), scales, (long) r * COLS, (long) quarter * COLS, x, 0, COLS, decoded,
                    r - first, quarter);
        }
        return decoded;
    }

    /** Nanoseconds per row decoded to floats. */
    @Benchmark
    @OperationsPerInvocation(ROWS_PER_CALL)
    public float[] dequantize() {
        int first = nextRows();
        for (int r = first; r < first + ROWS_PER_CALL; r++) {
            format.dequantize(weight.data(), (long) r * COLS, decoded, 0, COLS);
        }
        return decoded;
    }

    /** Nanoseconds per row of decoding a prefill panel, column block by column block. */
    @Benchmark
    @OperationsPerInvocation(ROWS_PER_CALL)
    public float[] dequantizePanel() {
        int first = nextRows();
        for (int k0 = 0; k0 < COLS; k0 += PANEL_COLUMNS) {
            format.dequantizeRows(weight.data(), (long) first * COLS + k0, COLS, ROWS_PER_CALL, panel, 0,
                    PANEL_STRIDE, PANEL_COLUMNS);
        }
        return panel;
    }

    /** The next rows to read: the same ones in cache, fresh ones from memory each call otherwise. */
    private int nextRows() {
        int first = cursor;
        cursor = cursor + 2 * ROWS_PER_CALL > rows ? 0 : cursor + ROWS_PER_CALL;
        return first;
    }
}
