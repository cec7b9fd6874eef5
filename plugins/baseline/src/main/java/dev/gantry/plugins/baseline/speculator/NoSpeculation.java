package dev.gantry.plugins.baseline.speculator;

import dev.gantry.spi.speculator.DraftTree;
import dev.gantry.spi.speculator.SpeculationContext;
import dev.gantry.spi.speculator.Speculator;
import dev.gantry.spi.speculator.VerifyMode;

/** Proposes nothing: every tree is the pending token alone, which is plain one-token-per-step decoding. */
public final class NoSpeculation implements Speculator {

    @Override
    public String name() {
        return "none";
    }

    @Override
    public VerifyMode verifyMode() {
        return VerifyMode.GREEDY_EXACT;
    }

    @Override
    public int maxTreeSize() {
        return 1;
    }

    @Override
    public DraftTree propose(SpeculationContext context) {
        return DraftTree.rootOnly(context.pendingToken());
    }
}
