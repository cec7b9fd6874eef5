package dev.gantry.tck.baseline;

import dev.gantry.tck.GantryTck;
import dev.gantry.tck.speculator.SpeculatorContractTest;
import dev.gantry.tck.speculator.SpeculatorKit;

/** The baseline's default speculator, which proposes nothing: it declares no behaviour and must do none. */
class NoSpeculationContractTest extends SpeculatorContractTest {

    @Override
    protected SpeculatorKit speculator() {
        return GantryTck.speculator("none");
    }
}
