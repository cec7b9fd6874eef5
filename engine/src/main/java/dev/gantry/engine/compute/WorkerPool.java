package dev.gantry.engine.compute;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed set of threads that run the chunks of one parallel loop at a time, the calling thread included.
 * Workers park between loops; each loop is published as one small immutable-ish object holding its body and
 * counters, so a worker that wakes late can never mix one loop's body with another's indices.
 *
 * <p>One loop at a time: {@link #run} is meant to be called from a single compute thread.
 */
public final class WorkerPool implements AutoCloseable {

    /** One parallel loop: its body, its chunk count and progress counters. */
    private static final class Loop {
        final IntConsumer body;
        final int chunks;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger pending;
        volatile Throwable failure;

        Loop(IntConsumer body, int chunks, Thread caller) {
            this.body = body;
            this.chunks = chunks;
            this.caller = caller;
            this.pending = new AtomicInteger(chunks);
        }

        void drain() {
            int i;
            while ((i = next.getAndIncrement()) < chunks) {
                try {
                    body.accept(i);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    if (pending.decrementAndGet() == 0) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }
    }

    private final Thread[] workers;
    private volatile Loop current;
    private volatile boolean closed;

    /** @param threads total threads, the caller included (1 runs everything on the caller) */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = Thread.ofPlatform().daemon().name("gantry-compute-" + (i + 1)).unstarted(this::workLoop);
            workers[i].start();
        }
    }

    /** Threads taking part in a loop, the caller included. */
    public int threads() {
        return workers.length + 1;
    }

    /** Runs {@code body.accept(i)} for every {@code i} in {@code [0, chunks)}, in parallel, and waits. */
    public void run(int chunks, IntConsumer body) {
        if (chunks <= 0) {
            return;
        }
        if (workers.length == 0 || chunks == 1) {
            for (int i = 0; i < chunks; i++) {
                body.accept(i);
            }
            return;
        }
        Loop loop = new Loop(body, chunks, Thread.currentThread());
        current = loop;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        loop.drain();
        while (loop.pending.get() > 0) {
            LockSupport.parkNanos(this, 50_000);
        }
        current = null;
        Throwable t = loop.failure;
        if (t != null) {
            throw new IllegalStateException("a parallel compute task failed: " + t, t);
        }
    }

    private void workLoop() {
        Loop seen = null;
        while (!closed) {
            Loop loop = current;
            if (loop != null && loop != seen) {
                seen = loop;
                loop.drain();
            } else {
                LockSupport.park(this);
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
