package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import dev.gantry.engine.tensor.TensorFormats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tensors of every {@link GgmlType} written by {@link GgufWriter} read back by {@link GgufFile}, byte for byte. */
class GgufTensorRoundTripTest {

    @TempDir
    Path dir;

    private static float[] randomValues(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static byte[] encode(GgmlType type, float[] values) {
        MemorySegment dst = MemorySegment.ofArray(new byte[(int) type.bytesFor(values.length)]);
        TensorFormats.of(type).quantize(values, 0, values.length, dst, 0);
        return dst.toArray(ValueLayout.JAVA_BYTE);
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void everyTypeReadsBackAsEncoded(GgmlType type) {
        long[] shape = {256, 3};
        float[] values = randomValues(256 * 3, type.id());
        // A 1-D F32 tensor first, so the typed one does not start at data offset 0.
        float[] norm = randomValues(7, 99);
        Path file = dir.resolve(type + ".gguf");
        new GgufWriter().putString("general.architecture", "test")
                .addTensor("norm", GgmlType.F32, new long[]{7}, norm)
                .addTensor("w", type, shape, values)
                .write(file);

        try (GgufFile f = GgufFile.open(file)) {
            Tensor t = f.requireTensor("w");
            assertEquals(type, t.type());
            assertArrayEquals(shape, t.shape());
            assertArrayEquals(encode(type, values), t.data().toArray(ValueLayout.JAVA_BYTE));
            assertEquals(0, (f.dataOffset() + f.tensorInfo("w").orElseThrow().offset()) % 32, "data is aligned");
            assertArrayEquals(norm, f.requireTensor("norm").toFloatArray());
            if (type == GgmlType.F32) {
                assertArrayEquals(values, t.toFloatArray());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void preEncodedBytesAreWrittenUnchanged(GgmlType type) {
        long[] shape = {type.blockSize() * 2L, 2};
        byte[] raw = new byte[(int) type.bytesFor(shape[0] * shape[1])];
        new SplittableRandom(5).nextBytes(raw);
        Path file = dir.resolve("raw-" + type + ".gguf");
        new GgufWriter().addTensor("raw", type, shape, MemorySegment.ofArray(raw)).write(file);
        try (GgufFile f = GgufFile.open(file)) {
            assertArrayEquals(raw, f.requireTensor("raw").data().toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void tensorsLargerThanOneChunkAndStreamedSourcesRoundTrip() {
        int rows = 5, cols = 300_032; // 1.5M elements: more than one encoding chunk, not a whole number of them
        float[] values = randomValues(rows * cols, 3);
        Path file = dir.resolve("big.gguf");
        new GgufWriter()
                .addTensor("array", GgmlType.Q8_0, new long[]{cols, rows}, values)
                .addTensor("streamed", GgmlType.F16, new long[]{cols, rows},
                        (first, dst, n) -> System.arraycopy(values, (int) first, dst, 0, n))
                .write(file);
        try (GgufFile f = GgufFile.open(file)) {
            assertArrayEquals(encode(GgmlType.Q8_0, values), f.requireTensor("array").data().toArray(ValueLayout.JAVA_BYTE));
            assertArrayEquals(encode(GgmlType.F16, values), f.requireTensor("streamed").data().toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void customAlignmentIsHonoured() {
        Path file = dir.resolve("aligned.gguf");
        new GgufWriter().putUInt32(GgufWriter.ALIGNMENT_KEY, 4096)
                .addTensor("a", GgmlType.F32, new long[]{3}, new float[]{1, 2, 3})
                .addTensor("b", GgmlType.F32, new long[]{2, 2}, new float[]{4, 5, 6, 7})
                .write(file);
        try (GgufFile f = GgufFile.open(file)) {
            assertEquals(4096, f.alignment());
            assertEquals(0, f.dataOffset() % 4096);
            assertEquals(List.of(0L, 4096L), f.tensorInfos().stream().map(GgufTensorInfo::offset).toList());
            assertArrayEquals(new float[]{4, 5, 6, 7}, f.requireTensor("b").toFloatArray());
        }
    }

    @Test
    void tableListsTensorsInOrderWithTheirLayout() {
        Path file = dir.resolve("table.gguf");
        new GgufWriter()
                .addTensor("x", GgmlType.F32, new long[]{5}, new float[5])
                .addTensor("y", GgmlType.Q4_0, new long[]{32, 2, 1, 3}, new float[192])
                .write(file);
        try (GgufFile f = GgufFile.open(file)) {
            assertEquals(List.of(new GgufTensorInfo("x", new long[]{5}, 0, 0),
                    new GgufTensorInfo("y", new long[]{32, 2, 1, 3}, 2, 32)), f.tensorInfos());
            assertEquals(f.dataOffset() + 32 + 128, f.fileSize(), "the last tensor (108 bytes) is padded to the alignment");
            assertTrue(f.tensor("missing").isEmpty());
            GgufFormatException e = assertThrows(GgufFormatException.class, () -> f.requireTensor("missing"));
            assertTrue(e.getMessage().contains("missing") && e.getMessage().contains(file.toString()));
        }
    }

    @Test
    void writerRefusesTensorsItCannotWrite() {
        GgufWriter w = new GgufWriter().addTensor("a", GgmlType.F32, new long[]{1}, new float[1]);
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("a", GgmlType.F32, new long[]{1}, new float[1]));
        IllegalArgumentException block = assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("q", GgmlType.Q8_0, new long[]{33, 1}, new float[33]));
        assertTrue(block.getMessage().contains("blocks of 32"), block.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("c", GgmlType.F32, new long[]{2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("d", GgmlType.F32, new long[]{1, 1, 1, 1, 1},
                new float[1]));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("e", GgmlType.F32, new long[]{0}, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("x".repeat(64), GgmlType.F32, new long[]{1},
                new float[1]));
        GgufWriter badAlignment = new GgufWriter().putUInt32(GgufWriter.ALIGNMENT_KEY, 48);
        assertThrows(IllegalArgumentException.class, () -> badAlignment.write(dir.resolve("never.gguf")));
        assertFalse(Files.exists(dir.resolve("never.gguf")));
    }

    @Test
    void aFailedWriteLeavesNoFileBehind() {
        Path file = dir.resolve("failed.gguf");
        GgufWriter w = new GgufWriter().addTensor("boom", GgmlType.F32, new long[]{4}, (first, dst, n) -> {
            throw new IllegalStateException("source failed");
        });
        assertThrows(IllegalStateException.class, () -> w.write(file));
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("failed.gguf.partial")));
    }

    @Test
    void tensorsBeyondTwoGibibytesAreReadWithLongOffsets() throws IOException {
        long farOffset = 3L << 30; // 3 GiB into the data section: past every int offset
        RawGguf header = RawGguf.header(3, 2, 0)
                .tensor("near", GgmlType.F32.id(), 0, 4)
                .tensor("far", GgmlType.F32.id(), farOffset, 4)
                .pad(32);
        Path file = header.writeTo(dir.resolve("sparse.gguf"));
        long dataOffset = header.size();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(dataOffset + farOffset + 16); // sparse: the gap takes no disk space
            raf.seek(dataOffset + farOffset);
            for (float v : new float[]{1.5f, -2f, 3f, 4.25f}) {
                raf.writeInt(Integer.reverseBytes(Float.floatToRawIntBits(v)));
            }
        }
        try (GgufFile f = GgufFile.open(file)) {
            assertEquals(dataOffset, f.dataOffset());
            Tensor far = f.requireTensor("far");
            assertArrayEquals(new float[]{1.5f, -2f, 3f, 4.25f}, far.toFloatArray());
            assertEquals(4.25f, far.data().get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 12));
            assertArrayEquals(new float[4], f.requireTensor("near").toFloatArray());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void tensorsMustNotBeUsedAfterClose() {
        Path file = dir.resolve("closed.gguf");
        new GgufWriter().addTensor("a", GgmlType.F32, new long[]{2}, new float[]{1, 2}).write(file);
        Tensor t;
        try (GgufFile f = GgufFile.open(file)) {
            t = f.requireTensor("a");
        }
        assertThrows(IllegalStateException.class, t::toFloatArray);
    }
}
