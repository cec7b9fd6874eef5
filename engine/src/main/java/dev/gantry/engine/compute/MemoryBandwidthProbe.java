package dev.gantry.engine.compute;

import dev.gantry.engine.tensor.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The machine's memory read bandwidth as the engine's threads see it: a STREAM-like pass that sums a buffer far
 * larger than the caches, each thread its own contiguous slice, with the same {@link WorkerPool} and thread
 * count as the compute. A decode step reads every weight once, so bytes of weights over this bandwidth is the
 * fastest a decode step can be (the "floor" that {@code gantry bench --bandwidth} reports against).
 *
 * <p>The buffer is written once before timing (so its pages exist), one untimed pass warms up, and the best of
 * the timed passes is reported, as STREAM does. GB/s means 10<sup>9</sup> bytes per second.
 */
public final class MemoryBandwidthProbe {

    /** The buffer size by default: 1 GiB, thirty times a large L3 cache. */
    public static final long DEFAULT_BYTES = 1L << 30;

    /** Timed passes by default. */
    public static final int DEFAULT_PASSES = 5;

    private MemoryBandwidthProbe() {
    }

    /** The result: the best and median pass over {@code bytes} with {@code threads} threads. */
    public record Result(int threads, long bytes, double bestGbPerS, double medianGbPerS) {
    }

    /** Measures with {@code threads} threads over a buffer of {@code bytes} bytes, best of {@code passes}. */
    public static Result measure(int threads, long bytes, int passes) {
        if (threads < 1 || passes < 1 || bytes < 1 << 20) {
            throw new IllegalArgumentException("need at least 1 thread, 1 pass and 1 MiB");
        }
        long slice = bytes / threads / 4096 * 4096;
        long total = slice * threads;
        double[] gbPerS = new double[passes];
        // The sums are stored where the caller could see them, so the reads cannot be optimised away.
        double[] sums = new double[threads];
        try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(threads)) {
            MemorySegment buffer = arena.allocate(total, 4096);
            pool.run(threads, (chunk, worker) ->
                    buffer.asSlice(chunk * slice, slice).fill((byte) (chunk + 1)));
            for (int p = -1; p < passes; p++) {
                long t0 = System.nanoTime();
                pool.run(threads, (chunk, worker) -> sums[chunk] += sum(buffer, chunk * slice, slice));
                long nanos = System.nanoTime() - t0;
                if (p >= 0) {
                    gbPerS[p] = total / (double) nanos;
                }
            }
        }
        double[] sorted = gbPerS.clone();
        Arrays.sort(sorted);
        return new Result(threads, total, sorted[passes - 1], sorted[passes / 2]);
    }

    /** Sums a slice (its length a multiple of 4096) as floats: vector loads where the Vector API is on. */
    private static double sum(MemorySegment buffer, long from, long length) {
        return VectorWidth.enabled() ? VectorRead.sum(buffer, from, length) : scalarSum(buffer, from, length);
    }

    private static double scalarSum(MemorySegment buffer, long from, long length) {
        long a0 = 0;
        long a1 = 0;
        long a2 = 0;
        long a3 = 0;
        for (long i = from; i < from + length; i += 32) {
            a0 += buffer.get(ValueLayout.JAVA_LONG, i);
            a1 += buffer.get(ValueLayout.JAVA_LONG, i + 8);
            a2 += buffer.get(ValueLayout.JAVA_LONG, i + 16);
            a3 += buffer.get(ValueLayout.JAVA_LONG, i + 24);
        }
        return a0 + a1 + a2 + a3;
    }

    /** The vector read loop, in its own class so that it is only loaded when the Vector API is on. */
    private static final class VectorRead {
        private static final VectorSpecies<Float> F =
                VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.BITS));
        private static final int BYTES = F.vectorByteSize();

        /** Four independent accumulators, one aligned vector load per add, no stores: a pure read stream. */
        static double sum(MemorySegment buffer, long from, long length) {
            ByteOrder order = ByteOrder.nativeOrder();
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (long i = from; i < from + length; i += 4L * BYTES) {
                a0 = a0.add(FloatVector.fromMemorySegment(F, buffer, i, order));
                a1 = a1.add(FloatVector.fromMemorySegment(F, buffer, i + BYTES, order));
                a2 = a2.add(FloatVector.fromMemorySegment(F, buffer, i + 2L * BYTES, order));
                a3 = a3.add(FloatVector.fromMemorySegment(F, buffer, i + 3L * BYTES, order));
            }
            return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        }
    }
}
