package dev.gantry.engine.gguf;

import dev.gantry.engine.tensor.GgmlType;
import dev.gantry.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Files over 2 GiB map and read correctly: a sparse file whose second tensor starts beyond the 2 GiB mark
 * (nothing is written in between, so the test uses no real disk space for the gap).
 */
class GgufLargeFileTest {

    @TempDir
    Path dir;

    @Test
    void aTensorBeyondTwoGibibytesIsReadThroughTheMap() throws Exception {
        long farOffset = (1L << 31) + 4096; // relative to the data section; a multiple of the alignment
        byte[] header = RawGguf.header(3, 2, 0)
                .tensor("near", GgmlType.F32.id(), 0, 4)
                .tensor("far", GgmlType.F32.id(), farOffset, 4)
                .pad(32)
                .toByteArray();
        Path file = dir.resolve("large.gguf");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(header);
            raf.write(floats(1f, 2f, 3f, 4f));
            raf.seek(header.length + farOffset);
            raf.write(floats(-1.5f, 0.25f, 1e6f, 7f));
        }
        try (GgufFile gguf = GgufFile.open(file)) {
            assertEquals(header.length + farOffset + 16, gguf.fileSize());
            Tensor far = gguf.requireTensor("far");
            float[] values = far.toFloatArray();
            assertEquals(-1.5f, values[0]);
            assertEquals(1e6f, values[2]);
            assertEquals(4f, gguf.requireTensor("near").toFloatArray()[3]);
        }
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }
}
