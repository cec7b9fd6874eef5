package dev.gantry.tck.baseline;

import dev.gantry.tck.GantryTck;
import dev.gantry.tck.kv.KVCodecBehavior;
import dev.gantry.tck.kv.KVCodecContractTest;
import dev.gantry.tck.kv.KVCodecKit;

/** The baseline's 32-bit codec: lossless. */
class F32KvCodecContractTest extends KVCodecContractTest {

    @Override
    protected KVCodecKit kvCodec() {
        return GantryTck.kvCodec("f32").behaves(KVCodecBehavior.LOSSLESS);
    }
}
