package dev.gantry.spi.kv;

/** Per-thread buffers for the decode-then-compute defaults of {@link KVCodec}. Not API. */
final class CodecScratch {

    private static final ThreadLocal<float[]> BUFFER = ThreadLocal.withInitial(() -> new float[128]);

    private CodecScratch() {
    }

    static float[] get(int size) {
        float[] b = BUFFER.get();
        if (b.length < size) {
            b = new float[size];
            BUFFER.set(b);
        }
        return b;
    }
}
