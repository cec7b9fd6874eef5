package dev.gantry.engine.cli;

import dev.gantry.engine.llama.LayerWeights;
import dev.gantry.engine.llama.LlamaWeights;

/**
 * The bytes of weights one decode step reads: every layer's matrices and norms, the final norm and the output
 * projection in full, but only one row of the token embedding (the token being decoded). When the model ties
 * the output projection to the embedding, the full embedding is read as the projection, and its one row as
 * the embedding. Divided by the memory bandwidth this is the decode "floor", the fastest a step can be.
 */
final class DecodeWeightBytes {

    private DecodeWeightBytes() {
    }

    static long of(LlamaWeights w) {
        long bytes = w.tokenEmbedding().type().bytesFor(w.tokenEmbedding().cols());
        bytes += w.output().data().byteSize() + (long) Float.BYTES * w.outputNorm().length;
        for (LayerWeights l : w.layers()) {
            bytes += l.wq().data().byteSize() + l.wk().data().byteSize() + l.wv().data().byteSize()
                    + l.wo().data().byteSize() + l.wGate().data().byteSize() + l.wUp().data().byteSize()
                    + l.wDown().data().byteSize() + (long) Float.BYTES * (l.attnNorm().length + l.ffnNorm().length);
        }
        return bytes;
    }
}
