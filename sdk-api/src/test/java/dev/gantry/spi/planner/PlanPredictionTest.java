package dev.gantry.spi.planner;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanPredictionTest {

    private static final double NaN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private static String failure(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void unknownFiguresAreNaNAndUnboundedLatenciesInfinite() {
        assertDoesNotThrow(() -> new PlanPrediction(100, 2, INF, INF, 0.01, 0.02, 3, 0, NaN));
        assertDoesNotThrow(() -> PlanPrediction.UNKNOWN);
    }

    @Test
    void refusesImpossibleFigures() {
        assertTrue(failure(() -> new PlanPrediction(-1, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN))
                .contains("tokensPerSecond must be NaN or finite and ≥ 0, got -1.0"));
        assertTrue(failure(() -> new PlanPrediction(INF, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN))
                .contains("tokensPerSecond"));
        assertTrue(failure(() -> new PlanPrediction(NaN, NaN, 2, 1, NaN, NaN, NaN, NaN, NaN))
                .contains("ttft p99 1.0 s is below its p50 2.0 s"));
        assertTrue(failure(() -> new PlanPrediction(NaN, NaN, NaN, NaN, -1, NaN, NaN, NaN, NaN))
                .contains("tpot latencies must be NaN or ≥ 0"));
        assertTrue(failure(() -> new PlanPrediction(NaN, NaN, NaN, NaN, NaN, NaN, NaN, 1.5, NaN))
                .contains("sloAttainment must be NaN or in [0, 1]"));
        assertTrue(failure(() -> new PlanPrediction(NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, -2))
                .contains("liveputTokensPerSecond"));
    }
}
