/**
 * The KV-codec kit: {@link dev.gantry.tck.kv.KVCodecContractTest} to extend, {@link dev.gantry.tck.kv.KVCodecKit}
 * for the storage checks and the engine run, and the {@link dev.gantry.tck.kv.KVCodecBehavior} flags.
 */
package dev.gantry.tck.kv;
