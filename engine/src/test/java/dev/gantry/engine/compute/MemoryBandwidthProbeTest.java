package dev.gantry.engine.compute;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe reads with the threads it is given and reports finite rates (their size is not tested: no timing). */
class MemoryBandwidthProbeTest {

    @Test
    void reportsWhatItMeasured() {
        MemoryBandwidthProbe.Result r = MemoryBandwidthProbe.measure(2, 8L << 20, 2);
        assertEquals(2, r.threads());
        assertTrue(r.bytes() > 0 && r.bytes() <= 8L << 20 && r.bytes() % 4096 == 0, "bytes " + r.bytes());
        assertTrue(r.bestGbPerS() > 0 && Double.isFinite(r.bestGbPerS()), "best " + r.bestGbPerS());
        assertTrue(r.medianGbPerS() > 0 && r.medianGbPerS() <= r.bestGbPerS(), "median " + r.medianGbPerS());
    }
}
