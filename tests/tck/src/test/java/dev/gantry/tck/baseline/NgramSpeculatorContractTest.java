package dev.gantry.tck.baseline;

import dev.gantry.tck.GantryTck;
import dev.gantry.tck.speculator.SpeculatorBehavior;
import dev.gantry.tck.speculator.SpeculatorContractTest;
import dev.gantry.tck.speculator.SpeculatorKit;

/** The baseline's n-gram (prompt lookup) speculator: chains of copied tokens, verified losslessly. */
class NgramSpeculatorContractTest extends SpeculatorContractTest {

    @Override
    protected SpeculatorKit speculator() {
        return GantryTck.speculator("ngram").behaves(SpeculatorBehavior.DRAFTS, SpeculatorBehavior.LOSSLESS_SAMPLING);
    }
}
