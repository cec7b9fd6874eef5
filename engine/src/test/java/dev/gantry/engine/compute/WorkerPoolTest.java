package dev.gantry.engine.compute;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool runs every chunk exactly once per loop, names its threads by index, and reports failures. */
class WorkerPoolTest {

    @Test
    void everyChunkRunsOnceInEveryLoop() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int loop = 0; loop < 2000; loop++) {
                int chunks = 1 + loop % 37;
                AtomicIntegerArray runs = new AtomicIntegerArray(chunks);
                AtomicIntegerArray badWorker = new AtomicIntegerArray(1);
                pool.run(chunks, (chunk, worker) -> {
                    runs.incrementAndGet(chunk);
                    if (worker < 0 || worker >= 3) {
                        badWorker.set(0, 1);
                    }
                });
                for (int c = 0; c < chunks; c++) {
                    assertEquals(1, runs.get(c), "loop " + loop + " chunk " + c);
                }
                assertEquals(0, badWorker.get(0), "worker index out of range");
            }
        }
    }

    @Test
    void chunkOnlyBodiesRunOnceEach() {
        try (CpuDevice device = new CpuDevice(2)) {
            for (int loop = 0; loop < 500; loop++) {
                int count = 1 + loop % 9;
                AtomicIntegerArray runs = new AtomicIntegerArray(count);
                device.parallel(count, runs::incrementAndGet);
                for (int c = 0; c < count; c++) {
                    assertEquals(1, runs.get(c), "loop " + loop + " task " + c);
                }
            }
        }
    }

    @Test
    void aFailingChunkFailsTheLoopAndThePoolGoesOn() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(8, (chunk, worker) -> {
                if (chunk == 5) {
                    throw new ArithmeticException("boom");
                }
            }));
            assertTrue(e.getMessage().contains("boom"));
            AtomicIntegerArray runs = new AtomicIntegerArray(4);
            pool.run(4, (chunk, worker) -> runs.incrementAndGet(chunk));
            for (int c = 0; c < 4; c++) {
                assertEquals(1, runs.get(c));
            }
        }
    }
}
