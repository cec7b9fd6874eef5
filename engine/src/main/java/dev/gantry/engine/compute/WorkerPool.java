package dev.gantry.engine.compute;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed set of threads that run the chunks of one parallel loop at a time, the calling thread included.
 *
 * <p>A decode step runs about a hundred and fifty short loops (one per matrix product), so the hand-off must
 * cost microseconds and allocate nothing. Each loop is published as one 64-bit ticket — generation, chunk
 * count and next chunk — that threads claim chunks from by compare-and-set; a thread that wakes late cannot
 * take a chunk of a loop that has ended, because the ticket it read no longer matches. Between loops the
 * workers spin for {@link #SPIN_NANOS} (the next product usually follows within that) and then park; the
 * caller spins while the last chunks finish. A pool with more threads than the machine has processors spins only
 * {@link #SHARED_SPIN_NANOS}: its idle workers would take cores from the caller's serial work.
 *
 * <p>Chunk bodies get the index of the thread running them ({@code 0} for the caller, {@code 1..threads-1} for
 * workers), so per-thread scratch can be allocated once and indexed. One loop at a time: {@link #run} is meant
 * to be called from a single compute thread.
 */
public final class WorkerPool implements AutoCloseable {

    /** The body of a parallel loop. */
    @FunctionalInterface
    public interface Task {
        /** Runs chunk {@code chunk} on the thread with index {@code worker} (0 = the calling thread). */
        void run(int chunk, int worker);
    }

    /**
     * How long an idle worker keeps polling for the next loop before it parks. Long enough to span the serial
     * stretches of a forward pass (rotating and caching a 128-token chunk's keys takes about 2 ms) and the gap
     * between decode steps (sampling, about 1 ms): a parked worker can take milliseconds to run again on a
     * virtual machine, and the caller meanwhile does the loop alone. TinyLlama-shaped Q4_0 prefill of 128 tokens at
     * 2 threads, alternating builds: 55, 59, 70 and 99 tok/s with a 0.2 ms spin, 85-94 with 5 or 20 ms; decode won 6
     * of 9 pairs across Q4_0, Q8_0 and F16. An idle engine pays at most this much polling per pause.
     */
    private static final long SPIN_NANOS = 5_000_000;
    /** The spin of a pool with more threads than processors: short, as polling there steals another thread's core. */
    private static final long SHARED_SPIN_NANOS = 200_000;

    private static final int FIELD_BITS = 20;
    private static final long FIELD_MASK = (1L << FIELD_BITS) - 1;
    private static final int MAX_CHUNKS = (int) FIELD_MASK;

    private final Thread[] workers;
    /** {@link #SPIN_NANOS}, or {@link #SHARED_SPIN_NANOS} where the pool outnumbers the processors. */
    private final long spinNanos;
    /** generation (24 bits) | chunks (20 bits) | next chunk (20 bits). */
    private final AtomicLong ticket = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();
    /** Written before the ticket that publishes it, read only after a chunk was claimed from that ticket. */
    private Task task;
    private long generation;
    private volatile Throwable failure;
    private volatile boolean closed;
    /** Adapts chunk-only bodies without allocating per loop (its field is published with the loop's ticket). */
    private final ChunkOnly indexed = new ChunkOnly();

    private static final class ChunkOnly implements Task {
        IntConsumer body;

        @Override
        public void run(int chunk, int worker) {
            body.accept(chunk);
        }
    }

    /** @param threads total threads, the caller included (1 runs everything on the caller) */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        spinNanos = threads <= Runtime.getRuntime().availableProcessors() ? SPIN_NANOS : SHARED_SPIN_NANOS;
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int index = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("gantry-compute-" + index).unstarted(() -> workLoop(index));
            workers[i].start();
        }
    }

    /** Threads taking part in a loop, the caller included. */
    public int threads() {
        return workers.length + 1;
    }

    /** Runs {@code body.accept(i)} for every {@code i} in {@code [0, chunks)}, in parallel, and waits. */
    public void run(int chunks, IntConsumer body) {
        indexed.body = body;
        try {
            run(chunks, indexed);
        } finally {
            indexed.body = null;
        }
    }

    /** Runs {@code task.run(i, worker)} for every {@code i} in {@code [0, chunks)}, in parallel, and waits. */
    public void run(int chunks, Task task) {
        if (chunks <= 0) {
            return;
        }
        if (workers.length == 0 || chunks == 1) {
            for (int i = 0; i < chunks; i++) {
                task.run(i, 0);
            }
            return;
        }
        if (chunks > MAX_CHUNKS) {
            throw new IllegalArgumentException("at most " + MAX_CHUNKS + " chunks per loop, got " + chunks);
        }
        this.task = task;
        failure = null;
        pending.set(chunks);
        generation++;
        ticket.set(generation << (2 * FIELD_BITS) | (long) chunks << FIELD_BITS);
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        while (claimAndRun(0)) {
            // the caller works through chunks like any worker
        }
        while (pending.get() > 0) {
            Thread.onSpinWait();
        }
        Throwable t = failure;
        if (t != null) {
            throw new IllegalStateException("a parallel compute task failed: " + t, t);
        }
    }

    /** Claims one chunk of the current loop and runs it; false when none is left to claim. */
    private boolean claimAndRun(int worker) {
        while (true) {
            long t = ticket.get();
            int next = (int) (t & FIELD_MASK);
            int chunks = (int) ((t >>> FIELD_BITS) & FIELD_MASK);
            if (next >= chunks) {
                return false;
            }
            if (ticket.compareAndSet(t, t + 1)) {
                try {
                    task.run(next, worker);
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    pending.decrementAndGet();
                }
                return true;
            }
        }
    }

    private void workLoop(int index) {
        long idleSince = System.nanoTime();
        while (!closed) {
            if (claimAndRun(index)) {
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince < spinNanos) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
                idleSince = System.nanoTime();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
