package dev.gantry.tck.baseline;

import dev.gantry.tck.GantryTck;
import dev.gantry.tck.attention.AttentionBackendContractTest;
import dev.gantry.tck.attention.AttentionBehavior;
import dev.gantry.tck.attention.AttentionKit;

/** The baseline's dense attention: exact, including over draft trees. */
class DenseAttentionContractTest extends AttentionBackendContractTest {

    @Override
    protected AttentionKit attentionBackend() {
        return GantryTck.attentionBackend("dense").behaves(AttentionBehavior.TREE_VERIFICATION);
    }
}
