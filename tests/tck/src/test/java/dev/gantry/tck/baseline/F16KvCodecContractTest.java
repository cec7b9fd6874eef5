package dev.gantry.tck.baseline;

import dev.gantry.tck.GantryTck;
import dev.gantry.tck.kv.KVCodecContractTest;
import dev.gantry.tck.kv.KVCodecKit;

/** The baseline's half-precision codec: lossy within its declared 2⁻¹¹. */
class F16KvCodecContractTest extends KVCodecContractTest {

    @Override
    protected KVCodecKit kvCodec() {
        return GantryTck.kvCodec("f16");
    }
}
