package dev.gantry.engine.gguf;

/**
 * The elements of a tensor to be written, produced a chunk at a time when {@link GgufWriter#write} reaches
 * the tensor.
 *
 * <p>It exists so that a model far larger than the heap (a 1.1B-parameter model is 4.4 GB of floats) can
 * be written: the writer asks for one chunk, encodes it, writes it, and reuses the buffer.
 */
@FunctionalInterface
public interface TensorElements {

    /**
     * Puts elements {@code [first, first + n)} of the tensor, in storage order (fastest-varying dimension
     * first), into {@code dst[0 .. n)}. The writer calls this once per chunk, from one thread, with
     * contiguous ranges in increasing order starting at 0, so a generator may ignore {@code first} and
     * simply continue where it stopped.
     */
    void fill(long first, float[] dst, int n);
}
