package dev.gantry.engine.llama;

import dev.gantry.engine.tensor.Tensor;

/**
 * The weights of one transformer block. Matrices are views into the mapped model file; norm weights are
 * decoded once to floats.
 *
 * @param attnNorm RMSNorm before attention, [dim]
 * @param wq       query projection, dim → heads·headDim
 * @param wk       key projection, dim → kvHeads·headDim
 * @param wv       value projection, dim → kvHeads·headDim
 * @param wo       attention output, heads·headDim → dim
 * @param ffnNorm  RMSNorm before the feed-forward block, [dim]
 * @param wGate    SwiGLU gate, dim → ffn
 * @param wUp      SwiGLU up, dim → ffn
 * @param wDown    down projection, ffn → dim
 */
public record LayerWeights(float[] attnNorm, Tensor wq, Tensor wk, Tensor wv, Tensor wo, float[] ffnNorm,
                           Tensor wGate, Tensor wUp, Tensor wDown) {
}
