package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Malformed, truncated and hostile files: each must be refused with a {@link GgufFormatException} that
 * names the file and the problem, never with another exception or a huge allocation.
 */
class GgufCorruptFileTest {

    @TempDir
    Path dir;

    private int fileCount;

    private Path write(RawGguf raw) throws IOException {
        return raw.writeTo(dir.resolve("case-" + (fileCount++) + ".gguf"));
    }

    private Path write(byte[] bytes) throws IOException {
        Path file = dir.resolve("case-" + (fileCount++) + ".gguf");
        Files.write(file, bytes);
        return file;
    }

    /** Opens the file, expecting a refusal whose message names the file and contains every part. */
    private static GgufFormatException assertRefused(Path file, String... parts) {
        try (GgufFile f = GgufFile.open(file)) {
            fail("expected " + file + " to be refused (" + String.join(", ", parts) + "), but it opened: " + f);
            return null;
        } catch (GgufFormatException e) {
            assertEquals(file.toString(), e.source());
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            for (String part : parts) {
                assertTrue(e.getMessage().contains(part),
                        () -> "message \"" + e.getMessage() + "\" lacks \"" + part + "\"");
            }
            return e;
        }
    }

    /** A valid file with several kinds of metadata and tensors, for the truncation and patching tests. */
    private Path validFile() {
        Path file = dir.resolve("valid-" + (fileCount++) + ".gguf");
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putUInt32("llama.block_count", 2)
                .putFloat32("llama.rope.freq_base", 10000f)
                .putStringArray("tokenizer.ggml.tokens", List.of("<unk>", "▁héllo", "日本"))
                .putFloat32Array("tokenizer.ggml.scores", new float[]{0f, -1f, -2f})
                .put("nested", GgufValueType.ARRAY, new GgufArray(GgufValueType.ARRAY,
                        List.of(new GgufArray(GgufValueType.UINT8, List.of(1L, 2L)))))
                .putBool("flag", true)
                .addTensor("a", GgmlType.F32, new long[]{10}, new float[10])
                .addTensor("b", GgmlType.Q8_0, new long[]{32, 2}, new float[64])
                .addTensor("c", GgmlType.BF16, new long[]{3}, new float[]{1, 2, 3})
                .write(file);
        return file;
    }

    @Test
    void truncationAnywhereIsReported() throws IOException {
        Path valid = validFile();
        long end;
        try (GgufFile f = GgufFile.open(valid)) {
            GgufTensorInfo last = f.tensorInfos().getLast();
            end = f.dataOffset() + last.offset() + last.byteSize().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(valid);
        for (int cut = 0; cut < end; cut++) {
            assertRefused(write(Arrays.copyOf(bytes, cut)), "truncated");
        }
    }

    @Test
    void wrongMagicIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(validFile());
        bytes[3] = 'X';
        assertRefused(write(bytes), "not a GGUF file", "\"GGUX\"");
        assertRefused(write(new byte[]{0, 1, 2, 3, 4, 5, 6, 7}), "not a GGUF file", "\\x00");
    }

    @Test
    void unsupportedVersionsAreRefused() throws IOException {
        assertRefused(write(RawGguf.header(1, 0, 0)), "unsupported GGUF version 1", "32-bit counts");
        assertRefused(write(RawGguf.header(99, 0, 0)), "unsupported GGUF version 99");
        assertRefused(write(RawGguf.header(0x0300_0000, 0, 0)), "big-endian");
    }

    @Test
    void versionTwoIsRead() throws IOException {
        try (GgufFile f = GgufFile.open(write(RawGguf.header(2, 0, 1).kvU32("a", 7)))) {
            assertEquals(2, f.version());
            assertEquals(7, f.metadata().getInt("a"));
        }
    }

    @Test
    void absurdCountsAndLengthsAreRefusedBeforeAllocating() throws IOException {
        assertRefused(write(RawGguf.header(3, 1L << 50, 0)), "tensor count", "truncated or corrupt");
        assertRefused(write(RawGguf.header(3, -1, 0)), "tensor count", "18446744073709551615");
        assertRefused(write(RawGguf.header(3, 0, 1L << 50)), "metadata entry count");
        assertRefused(write(RawGguf.header(3, 0, 1).u64(1L << 62).zeros(16)), "key of metadata entry 0", "claims");
        assertRefused(write(RawGguf.header(3, 0, 1).string("k").u32(GgufValueType.STRING.id()).u64(Long.MAX_VALUE)),
                "metadata k", "claims");
        assertRefused(write(RawGguf.header(3, 0, 1).string("arr").u32(GgufValueType.ARRAY.id())
                .u32(GgufValueType.UINT32.id()).u64(1L << 40)), "element count of metadata arr");
        assertRefused(write(RawGguf.header(3, 0, 1).string("arr").u32(GgufValueType.ARRAY.id())
                .u32(GgufValueType.STRING.id()).u64(100).zeros(8 * 99)), "element count of metadata arr");
        assertRefused(write(RawGguf.header(3, 1, 0).u64(1L << 40).zeros(40)), "name of tensor 0", "claims");
    }

    /** Writes the header, then extends the file sparsely (zeros, no disk space) to {@code length} bytes. */
    private Path sparse(RawGguf header, long length) throws IOException {
        Path file = write(header);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
        return file;
    }

    @Test
    void countsThatFitTheFileButNotTheHeapAreRefused() throws IOException {
        long values = GgufMetadataReader.MAX_VALUES;
        assertRefused(sparse(RawGguf.header(3, 0, 1).string("bytes").u32(GgufValueType.ARRAY.id())
                .u32(GgufValueType.UINT8.id()).u64(values + 1), values + 200), "metadata bytes has 33554433 elements",
                "33554432 values Gantry accepts");
        assertRefused(sparse(RawGguf.header(3, 0, 1).string("s").u32(GgufValueType.STRING.id())
                .u64(GgufCursor.MAX_STRING_BYTES + 1), GgufCursor.MAX_STRING_BYTES + 200), "metadata s",
                "refuses strings over 67108864 bytes");
        assertRefused(sparse(RawGguf.header(3, (1 << 20) + 1, 0), 40L << 20), "1048577 tensors",
                "more than the 1048576 Gantry accepts");
    }

    @Test
    void badValueTypesAreRefused() throws IOException {
        assertRefused(write(RawGguf.header(3, 0, 1).string("k").u32(13)), "metadata k", "unknown value type id 13");
        assertRefused(write(RawGguf.header(3, 0, 1).string("k").u32(GgufValueType.ARRAY.id()).u32(42).u64(0)),
                "element type of metadata k", "unknown value type id 42");
        assertRefused(write(RawGguf.header(3, 0, 1).string("big").u32(GgufValueType.UINT64.id()).u64(-1)),
                "metadata big", "UINT64 18446744073709551615");
    }

    @Test
    void duplicatesAreRefused() throws IOException {
        assertRefused(write(RawGguf.header(3, 0, 2).kvU32("a", 1).kvU32("a", 2)), "duplicate metadata key a");
        assertRefused(write(RawGguf.header(3, 2, 0).tensor("t", 0, 0, 4).tensor("t", 0, 32, 4).pad(32).zeros(64)),
                "duplicate tensor name t");
    }

    @Test
    void invalidUtf8IsRefused() throws IOException {
        byte[] bad = {(byte) 0xC3, 0x28};
        assertRefused(write(RawGguf.header(3, 0, 1).u64(2).bytes(bad).u32(4).u32(1)), "key of metadata entry 0",
                "not valid UTF-8");
        assertRefused(write(RawGguf.header(3, 0, 1).string("k").u32(GgufValueType.STRING.id()).u64(2).bytes(bad)),
                "metadata k", "not valid UTF-8");
        byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80}; // an encoded surrogate: not UTF-8
        assertRefused(write(RawGguf.header(3, 1, 0).u64(3).bytes(surrogate).u32(1).u64(4).u32(0).u64(0)),
                "name of tensor 0", "not valid UTF-8");
    }

    @Test
    void badAlignmentIsRefused() throws IOException {
        assertRefused(write(RawGguf.header(3, 0, 1).kvU32("general.alignment", 48)), "general.alignment is 48",
                "power of two");
        assertRefused(write(RawGguf.header(3, 0, 1).kvU32("general.alignment", 0)), "power of two");
        assertRefused(write(RawGguf.header(3, 0, 1).kvString("general.alignment", "32")), "must be an integer");
    }

    @Test
    void arraysNestedTooDeeplyAreRefused() throws IOException {
        RawGguf raw = RawGguf.header(3, 0, 1).string("deep").u32(GgufValueType.ARRAY.id());
        for (int i = 0; i < 40; i++) {
            raw.u32(GgufValueType.ARRAY.id()).u64(1);
        }
        assertRefused(write(raw.u32(GgufValueType.UINT8.id()).u64(0)), "metadata deep", "deeper than 16 levels");
    }

    @Test
    void badShapesAreRefused() throws IOException {
        assertRefused(write(RawGguf.header(3, 1, 0).tensor("t", 0, 0, 1, 2, 3, 4, 5, 6, 7).pad(32).zeros(32)),
                "tensor t has 7 dimensions", "1 to 4");
        assertRefused(write(RawGguf.header(3, 1, 0).tensor("t", 0, 0).pad(32).zeros(32)),
                "tensor t has 0 dimensions");
        assertRefused(write(RawGguf.header(3, 1, 0).tensor("t", 0, 0, 4, 0).pad(32).zeros(32)),
                "tensor t has dimension 1 = 0");
        assertRefused(write(RawGguf.header(3, 1, 0).tensor("t", 0, 0, -5).pad(32).zeros(32)),
                "tensor t has dimension 0 = 18446744073709551611");
        assertRefused(write(RawGguf.header(3, 1, 0).tensor("t", 0, 0, 1L << 40, 1L << 40).pad(32).zeros(32)),
                "tensor t", "overflows");
        assertRefused(write(RawGguf.header(3, 1, 0).tensor("t", GgmlType.Q8_0.id(), 0, 33).pad(32).zeros(64)),
                "tensor t of type Q8_0 has rows of 33 elements", "block size 32");
    }

    @Test
    void badTensorOffsetsAreRefused() throws IOException {
        assertRefused(write(RawGguf.header(3, 1, 0).tensor("t", 0, 4, 4).pad(32).zeros(64)),
                "tensor t has data offset 4", "not a multiple of the alignment 32");
        assertRefused(write(RawGguf.header(3, 1, 0).tensor("t", 0, 1L << 20, 4).pad(32).zeros(64)),
                "tensor t starts at data offset 1048576", "out of range");
        assertRefused(write(RawGguf.header(3, 1, 0).tensor("t", 0, -32, 4).pad(32).zeros(64)),
                "tensor t starts at data offset 18446744073709551584", "out of range");
        assertRefused(write(RawGguf.header(3, 1, 0).tensor("t", 0, 0, 100).pad(32).zeros(16)),
                "tensor t (F32[100], 400 bytes", "extends beyond the end of the file", "truncated");
        assertRefused(write(RawGguf.header(3, 2, 0).tensor("a", 0, 0, 16).tensor("b", 0, 32, 4).pad(32).zeros(128)),
                "tensors a (data offset 0) and b (data offset 32) overlap");
        assertRefused(write(RawGguf.header(3, 2, 0).tensor("a", 17, 64, 256).tensor("b", 17, 64, 256).pad(32)
                .zeros(256)), "tensors a (data offset 64) and b (data offset 64) overlap");
    }

    @Test
    void unsupportedTensorTypesOpenButAreRefusedWhenRequested() throws IOException {
        Path file = write(RawGguf.header(3, 3, 0)
                .tensor("blk.0.ffn_up.weight", 17, 0, 256, 2)
                .tensor("odd", 99, 4096, 8)
                .tensor("norm", GgmlType.F32.id(), 8192, 4)
                .pad(32).zeros(8192 + 16));
        try (GgufFile f = GgufFile.open(file)) {
            assertEquals(List.of("IQ2_XS", "unknown type 99", "F32"),
                    f.tensorInfos().stream().map(GgufTensorInfo::typeName).toList());
            assertTrue(f.tensorInfos().getFirst().byteSize().isEmpty());
            GgufFormatException e = assertThrows(GgufFormatException.class, () -> f.tensor("blk.0.ffn_up.weight"));
            assertEquals(file + ": tensor blk.0.ffn_up.weight has type IQ2_XS (17), which Gantry does not support "
                    + "(supported: F32, F16, Q4_0, Q8_0, Q4_K, Q5_K, Q6_K, BF16)", e.getMessage());
            e = assertThrows(GgufFormatException.class, () -> f.requireTensor("odd"));
            assertTrue(e.getMessage().contains("tensor odd has type unknown type 99 (99)"), e.getMessage());
            assertEquals(4, f.requireTensor("norm").elementCount());
        }
    }

    @Test
    void boolBytesOtherThanOneReadAsTrueAsInLlamaCpp() throws IOException {
        Path file = write(RawGguf.header(3, 0, 2).string("t").u32(GgufValueType.BOOL.id()).u8(7)
                .string("f").u32(GgufValueType.BOOL.id()).u8(0));
        try (GgufFile f = GgufFile.open(file)) {
            assertTrue(f.metadata().getBoolean("t"));
            assertEquals(false, f.metadata().getBoolean("f"));
        }
    }

    @Test
    void aMissingFileIsAnIoErrorNamingIt() {
        Path missing = dir.resolve("absent.gguf");
        Exception e = assertThrows(java.io.UncheckedIOException.class, () -> GgufFile.open(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}
