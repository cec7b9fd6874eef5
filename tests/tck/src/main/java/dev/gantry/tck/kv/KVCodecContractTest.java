package dev.gantry.tck.kv;

import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvCalibration;
import dev.gantry.spi.kv.KvCodecSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every {@link KVCodec} keeps, as JUnit Jupiter tests. Extend it, name your codec and declare what
 * it does:
 *
 * <pre>{@code
 * class MyCodecContractTest extends KVCodecContractTest {
 *     @Override
 *     protected KVCodecKit kvCodec() {
 *         return GantryTck.kvCodec("my-int8");
 *     }
 * }
 * }</pre>
 *
 * <p>Once per test class the kit generates in the real engine with the codec (capturing the keys and values it
 * stores) and with {@code f32}, then stores normal samples, samples with outlier channels and the captured
 * real ones in blocks of its own (see {@link KVCodecKit#checkStorage(CodecEngineRun)}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class KVCodecContractTest {

    private KVCodecKit kit;
    private CodecEngineRun engineRun;
    private KVCodecReport report;

    /** The codec under test, found by {@code GantryTck.kvCodec(name)}, with its declared behaviours. */
    protected abstract KVCodecKit kvCodec();

    private KVCodecKit kit() {
        if (kit == null) {
            kit = kvCodec();
        }
        return kit;
    }

    private boolean declares(KVCodecBehavior b) {
        return kit().behaviors().contains(b);
    }

    private boolean engineRunsIt() {
        return !declares(KVCodecBehavior.MIXED_PRECISION_WINDOWS);
    }

    private CodecEngineRun engineRun() {
        if (engineRun == null) {
            engineRun = kit().runEngine();
        }
        return engineRun;
    }

    private KVCodecReport report() {
        if (report == null) {
            report = engineRunsIt() ? kit().checkStorage(engineRun()) : kit().checkStorage();
        }
        return report;
    }

    /** The codec answers to the name operators select it by. */
    @Test
    public void namesItselfAsItsFactoryDoes() {
        assertEquals(kit().subject().name(), kit().codecName(), "KVCodec.name() of the created codec");
    }

    /**
     * Every layer gets a valid spec that agrees with the declared behaviours: a maximum error of 0 exactly when
     * {@link KVCodecBehavior#LOSSLESS}, windows and groups only with
     * {@link KVCodecBehavior#MIXED_PRECISION_WINDOWS}, pre-RoPE keys only with
     * {@link KVCodecBehavior#PRE_ROPE_KEYS}.
     */
    @Test
    public void declaresASpecThatMatchesItsBehaviours() {
        List<KvCodecSpec> specs = kit().specs();
        for (KvCodecSpec spec : specs) {
            assertNotNull(spec, kit().subject() + ": spec() returned null");
            assertEquals(declares(KVCodecBehavior.LOSSLESS), spec.maxRelativeError() == 0, kit().subject()
                    + ": declares a maximum error of " + spec.maxRelativeError() + (declares(KVCodecBehavior.LOSSLESS)
                    ? " while declaring LOSSLESS" : " (lossless) without declaring LOSSLESS"));
            boolean windows = spec.sinkTokens() > 0 || spec.recentWindow() > 0 || spec.encodeGroup() > 1;
            assertEquals(declares(KVCodecBehavior.MIXED_PRECISION_WINDOWS), windows, kit().subject() + ": spec "
                    + spec + " and MIXED_PRECISION_WINDOWS disagree");
            assertEquals(declares(KVCodecBehavior.PRE_ROPE_KEYS), spec.preRopeKeys(), kit().subject()
                    + ": spec " + spec + " and PRE_ROPE_KEYS disagree");
        }
        report().assertNo(KVCodecReport.Kind.DECLARATION);
    }

    /** Keys and values come back within the declared relative error (bit-exact when lossless). */
    @Test
    public void roundTripsWithinTheDeclaredError() {
        report().assertNo(KVCodecReport.Kind.ROUND_TRIP);
    }

    /**
     * A block is exactly what the spec declares: encoding never writes past {@code bytesPerToken × blockSize}
     * bytes, and a full block uses all of them.
     */
    @Test
    public void storesExactlyTheDeclaredBytesPerToken() {
        report().assertNo(KVCodecReport.Kind.STORAGE);
    }

    /** {@code dotKey} and {@code accumulateValue} agree with decoding (and accumulate, never overwrite). */
    @Test
    public void fusedReadsAgreeWithDecoding() {
        report().assertNo(KVCodecReport.Kind.FUSED_READS);
    }

    /**
     * {@code decodeKeys} and {@code decodeValues}, which attention backends read the cache with, equal decoding
     * slot by slot, bit for bit, and write only the range asked for.
     */
    @Test
    public void rangeReadsAgreeWithSlotReads() {
        report().assertNo(KVCodecReport.Kind.RANGE_READS);
    }

    /** {@code copySlot} moves a slot so that it decodes as before (within the declared error). */
    @Test
    public void copiesSlotsFaithfully() {
        report().assertNo(KVCodecReport.Kind.COPY);
    }

    /**
     * The engine serves requests with it to the end; a lossless codec gives exactly the greedy output of
     * {@code f32}.
     */
    @Test
    public void servesTheEngine() {
        Assumptions.assumeTrue(engineRunsIt(), "the engine does not run codecs with full-precision windows yet");
        if (declares(KVCodecBehavior.LOSSLESS)) {
            engineRun().assertSameTokensAsF32();
        } else {
            engineRun().assertEveryRequestFinished();
        }
    }

    /** Declared: calibration returns data under the codec's name. Not declared: it returns empty. */
    @Test
    public void calibratesOnlyWhenDeclared() {
        KVCodecKit.CalibrationOutcome outcome = kit().calibrate();
        assertNull(outcome.thrown(), kit().subject() + ": calibrate threw " + outcome.thrown());
        if (declares(KVCodecBehavior.CALIBRATES)) {
            assertTrue(outcome.result().isPresent(), kit().subject() + ": declares CALIBRATES but returned empty");
            KvCalibration c = outcome.result().get();
            assertEquals(outcome.codecName(), c.codec(), "the calibration names its codec");
        } else {
            assertTrue(outcome.result().isEmpty(), kit().subject() + ": returned a calibration without declaring "
                    + "CALIBRATES");
        }
    }
}
