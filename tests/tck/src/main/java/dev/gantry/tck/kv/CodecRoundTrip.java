package dev.gantry.tck.kv;

import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KvCodecSpec;
import dev.gantry.spi.kv.KvLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Locale;

/**
 * The storage checks of one codec on one layout and one set of samples, outside the engine: blocks are
 * segments of exactly the declared size (a write past the end throws), filled once with {@code 0x00} and once
 * with {@code 0xFF} before the same samples are encoded into every slot, so a byte that keeps its fill both
 * times was never written. Then every slot is decoded, read through the fused methods, read in ranges and
 * copied.
 */
final class CodecRoundTrip {

    private CodecRoundTrip() {
    }

    static void check(KVCodec codec, KvLayout layout, KvSamples samples, boolean lossless, KVCodecReport report) {
        String where = codec.name() + " on " + describe(layout) + ", " + samples.source() + " samples";
        KvCodecSpec spec = codec.spec(layout);
        if (spec == null) {
            report.add(KVCodecReport.Kind.DECLARATION, where + ": spec() returned null");
            return;
        }
        if (layout.blockSize() % spec.encodeGroup() != 0) {
            report.add(KVCodecReport.Kind.DECLARATION, where + ": encodeGroup " + spec.encodeGroup()
                    + " does not divide the block size " + layout.blockSize());
            return;
        }
        long bytes = spec.blockBytes(layout.blockSize());
        int blocks = samples.tokens() / layout.blockSize();
        try (Arena arena = Arena.ofConfined()) {
            for (int b = 0; b < blocks; b++) {
                int first = b * layout.blockSize();
                MemorySegment block = arena.allocate(bytes);
                boolean[] touched = new boolean[(int) bytes];
                if (!encodeBlock(codec, layout, spec, block, samples, first, (byte) 0, touched, where, report)
                        || !encodeBlock(codec, layout, spec, block, samples, first, (byte) 0xFF, touched, where,
                        report)) {
                    return;
                }
                if (b == 0) {
                    int written = 0;
                    for (boolean t : touched) {
                        written += t ? 1 : 0;
                    }
                    report.storage(where, spec.bytesPerToken(), (double) written / layout.blockSize());
                    if (written < bytes) {
                        report.add(KVCodecReport.Kind.STORAGE, String.format(Locale.ROOT, "%s: declares %d bytes "
                                        + "per token but a full block of %d tokens stores only %d of its %d bytes "
                                        + "(%.1f per token)", where, spec.bytesPerToken(), layout.blockSize(),
                                written, bytes, (double) written / layout.blockSize()));
                    }
                }
                readBack(codec, layout, block, samples, first, lossless, spec.maxRelativeError(), where, report);
                readRanges(codec, layout, block, where, report);
                copySlots(codec, layout, arena, bytes, block, samples, first, lossless ? 0 : spec.maxRelativeError(),
                        where, report);
            }
        }
    }

    /** Fills the block with {@code fill}, encodes a block of samples, marks bytes that now differ from it. */
    private static boolean encodeBlock(KVCodec codec, KvLayout layout, KvCodecSpec spec, MemorySegment block,
                                       KvSamples samples, int first, byte fill, boolean[] touched, String where,
                                       KVCodecReport report) {
        block.fill(fill);
        int kvDim = layout.kvDim();
        try {
            for (int slot = 0; slot < layout.blockSize(); slot += spec.encodeGroup()) {
                int t = first + slot;
                codec.encode(layout, block, slot, spec.encodeGroup(), samples.keys(), t * kvDim, samples.values(),
                        t * kvDim, samples.positions(), t);
            }
        } catch (IndexOutOfBoundsException e) {
            report.add(KVCodecReport.Kind.STORAGE, where + ": encode wrote outside the block of "
                    + block.byteSize() + " bytes its spec declares (" + e.getMessage() + ")");
            return false;
        }
        for (int i = 0; i < touched.length; i++) {
            touched[i] |= block.get(ValueLayout.JAVA_BYTE, i) != fill;
        }
        return true;
    }

    private static void readBack(KVCodec codec, KvLayout layout, MemorySegment block, KvSamples samples, int first,
                                 boolean lossless, double bound, String where, KVCodecReport report) {
        int d = layout.headDim();
        float[] k = new float[d];
        float[] v = new float[d];
        float[] acc = new float[d];
        for (int slot = 0; slot < layout.blockSize(); slot++) {
            int t = first + slot;
            for (int h = 0; h < layout.kvHeads(); h++) {
                int off = t * layout.kvDim() + h * d;
                codec.decodeKey(layout, block, slot, h, k, 0);
                codec.decodeValue(layout, block, slot, h, v, 0);
                for (String part : new String[] {"key", "value"}) {
                    float[] got = part.equals("key") ? k : v;
                    float[] want = part.equals("key") ? samples.keys() : samples.values();
                    double error = relativeError(got, 0, want, off, d);
                    report.roundTrip(error);
                    boolean exactMiss = lossless && !equal(got, 0, want, off, d);
                    if (error > bound * (1 + 1e-9) + (lossless ? 0 : 1e-7) || exactMiss) {
                        report.add(KVCodecReport.Kind.ROUND_TRIP, String.format(Locale.ROOT, "%s: the %s of slot %d, "
                                + "head %d comes back %.3g from what was stored (relative); declared at most %.3g%s",
                                where, part, slot, h, error, bound, exactMiss ? ", bit-exact (LOSSLESS)" : ""));
                    }
                }
                float[] q = samples.values();
                float dot = codec.dotKey(layout, block, slot, h, q, off);
                double expected = 0;
                double scale = 0;
                for (int i = 0; i < d; i++) {
                    expected += (double) q[off + i] * k[i];
                    scale += Math.abs((double) q[off + i] * k[i]);
                }
                if (Math.abs(dot - expected) > 1e-4 * Math.max(scale, 1e-6)) {
                    report.add(KVCodecReport.Kind.FUSED_READS, where + ": dotKey of slot " + slot + ", head " + h
                            + " is " + dot + " but the decoded key gives " + expected);
                }
                Arrays.fill(acc, 1f);
                codec.accumulateValue(layout, block, slot, h, 0.5f, acc, 0);
                for (int i = 0; i < d; i++) {
                    double want = 1 + 0.5 * v[i];
                    if (Math.abs(acc[i] - want) > 1e-5 * Math.max(1, Math.abs(want))) {
                        report.add(KVCodecReport.Kind.FUSED_READS, where + ": accumulateValue of slot " + slot
                                + ", head " + h + " adds " + (acc[i] - 1) + " at element " + i + " but the decoded "
                                + "value gives " + 0.5 * v[i] + "; it must add, not overwrite");
                        break;
                    }
                }
            }
        }
    }

    /**
     * Reads each head's keys and values in ranges — the whole block, and a run that starts and ends inside it —
     * and checks that they equal, bit for bit, what decoding slot by slot gives, packed {@code headDim} apart and
     * with nothing written outside the range.
     */
    private static void readRanges(KVCodec codec, KvLayout layout, MemorySegment block, String where,
                                   KVCodecReport report) {
        int d = layout.headDim();
        int size = layout.blockSize();
        int[][] ranges = size > 2 ? new int[][] {{0, size}, {1, size - 2}} : new int[][] {{0, size}};
        float[] slotBySlot = new float[d];
        for (int h = 0; h < layout.kvHeads(); h++) {
            for (int[] range : ranges) {
                for (String part : new String[] {"key", "value"}) {
                    boolean keys = part.equals("key");
                    // One element of margin on each side, filled with NaN, shows writes outside the range.
                    float[] got = new float[range[1] * d + 2];
                    Arrays.fill(got, Float.NaN);
                    try {
                        if (keys) {
                            codec.decodeKeys(layout, block, range[0], range[1], h, got, 1);
                        } else {
                            codec.decodeValues(layout, block, range[0], range[1], h, got, 1);
                        }
                    } catch (RuntimeException e) {
                        report.add(KVCodecReport.Kind.RANGE_READS, where + ": decoding the " + part + "s of slots "
                                + range[0] + ".." + (range[0] + range[1] - 1) + ", head " + h + " failed: " + e);
                        return;
                    }
                    String problem = rangeProblem(codec, layout, block, keys, range, h, got, slotBySlot);
                    if (problem != null) {
                        report.add(KVCodecReport.Kind.RANGE_READS, where + ": the " + part + "s of slots " + range[0]
                                + ".." + (range[0] + range[1] - 1) + ", head " + h + " read as a range " + problem);
                        return;
                    }
                }
            }
        }
    }

    /** What is wrong with a range read, or null when it equals the slot-by-slot decoding. */
    private static String rangeProblem(KVCodec codec, KvLayout layout, MemorySegment block, boolean keys,
                                       int[] range, int kvHead, float[] got, float[] slotBySlot) {
        int d = layout.headDim();
        if (!Float.isNaN(got[0]) || !Float.isNaN(got[got.length - 1])) {
            return "write outside the " + range[1] + " packed slots they were given";
        }
        for (int i = 0; i < range[1]; i++) {
            if (keys) {
                codec.decodeKey(layout, block, range[0] + i, kvHead, slotBySlot, 0);
            } else {
                codec.decodeValue(layout, block, range[0] + i, kvHead, slotBySlot, 0);
            }
            if (!equal(got, 1 + i * d, slotBySlot, 0, d)) {
                return "differ at slot " + (range[0] + i) + " from decoding that slot alone";
            }
        }
        return null;
    }

    /**
     * Copies every slot into a fresh block in reverse order and checks that each decodes as the original, within
     * the declared error (a lossy codec's default copy re-encodes what it decoded).
     */
    private static void copySlots(KVCodec codec, KvLayout layout, Arena arena, long bytes, MemorySegment from,
                                  KvSamples samples, int first, double bound, String where, KVCodecReport report) {
        MemorySegment to = arena.allocate(bytes);
        int n = layout.blockSize();
        int d = layout.headDim();
        float[] a = new float[d];
        float[] b = new float[d];
        try {
            for (int slot = 0; slot < n; slot++) {
                codec.copySlot(layout, from, slot, to, n - 1 - slot, samples.positions()[first + slot]);
            }
        } catch (RuntimeException e) {
            report.add(KVCodecReport.Kind.COPY, where + ": copySlot failed: " + e);
            return;
        }
        for (int slot = 0; slot < n; slot++) {
            for (int h = 0; h < layout.kvHeads(); h++) {
                codec.decodeKey(layout, from, slot, h, a, 0);
                codec.decodeKey(layout, to, n - 1 - slot, h, b, 0);
                double keyError = relativeError(b, 0, a, 0, d);
                boolean keysEqual = equal(a, 0, b, 0, d);
                codec.decodeValue(layout, from, slot, h, a, 0);
                codec.decodeValue(layout, to, n - 1 - slot, h, b, 0);
                double error = Math.max(keyError, relativeError(b, 0, a, 0, d));
                boolean exact = keysEqual && equal(a, 0, b, 0, d);
                if (bound == 0 ? !exact : error > bound * (1 + 1e-9) + 1e-7) {
                    report.add(KVCodecReport.Kind.COPY, String.format(Locale.ROOT, "%s: slot %d, head %d copied to "
                            + "slot %d decodes %.3g from the original (relative); allowed %.3g", where, slot, h,
                            n - 1 - slot, error, bound));
                    return;
                }
            }
        }
    }

    private static double relativeError(float[] got, int gotOffset, float[] want, int wantOffset, int n) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double e = got[gotOffset + i] - want[wantOffset + i];
            diff += e * e;
            norm += (double) want[wantOffset + i] * want[wantOffset + i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-12);
    }

    private static boolean equal(float[] a, int aOffset, float[] b, int bOffset, int n) {
        for (int i = 0; i < n; i++) {
            if (Float.floatToIntBits(a[aOffset + i]) != Float.floatToIntBits(b[bOffset + i])) {
                return false;
            }
        }
        return true;
    }

    static String describe(KvLayout layout) {
        return "layer " + layout.layer() + " (" + layout.kvHeads() + " kv heads × " + layout.headDim() + ")";
    }
}
