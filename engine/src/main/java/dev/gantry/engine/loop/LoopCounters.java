package dev.gantry.engine.loop;

import java.util.concurrent.atomic.AtomicLong;

/** The loop's running totals; written by the loop thread, read as {@link LoopStats} snapshots by others. */
final class LoopCounters {

    final AtomicLong steps = new AtomicLong();
    final AtomicLong decodeSteps = new AtomicLong();
    final AtomicLong decodeNanos = new AtomicLong();
    final AtomicLong decodeTokens = new AtomicLong();
    final AtomicLong promptTokens = new AtomicLong();
    final AtomicLong generated = new AtomicLong();
    final AtomicLong preemptions = new AtomicLong();
    final AtomicLong draftTokens = new AtomicLong();
    final AtomicLong acceptedTokens = new AtomicLong();
    private volatile double kvUsagePeak;

    void recordStep(long nanos, boolean anyPrefill, long emitted) {
        steps.incrementAndGet();
        if (!anyPrefill) {
            decodeSteps.incrementAndGet();
            decodeNanos.addAndGet(nanos);
            decodeTokens.addAndGet(emitted);
        }
    }

    void recordSpeculation(int drafted, int accepted) {
        draftTokens.addAndGet(drafted);
        acceptedTokens.addAndGet(accepted);
    }

    void observeKv(double usage) {
        if (usage > kvUsagePeak) {
            kvUsagePeak = usage;
        }
    }

    LoopStats snapshot(long prefixQueries, long prefixHits, double kvUsage, int running, int waiting) {
        return new LoopStats(steps.get(), decodeSteps.get(), decodeNanos.get(), decodeTokens.get(),
                promptTokens.get(), generated.get(), preemptions.get(), prefixQueries, prefixHits, draftTokens.get(),
                acceptedTokens.get(), kvUsage, kvUsagePeak, running, waiting);
    }
}
