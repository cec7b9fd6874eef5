package dev.gantry.spi;

/**
 * The shape of the model an engine serves, as plugins need to know it.
 *
 * @param name           the served model name
 * @param architecture   the GGUF architecture, such as {@code llama}
 * @param layers         number of transformer blocks
 * @param embeddingDim   width of the residual stream
 * @param heads          query heads per layer
 * @param kvHeads        key/value heads per layer (grouped-query attention when fewer than {@code heads})
 * @param headDim        elements per head
 * @param ffnDim         hidden width of the feed-forward block
 * @param vocabularySize number of tokens
 * @param contextLength  the longest context the model was trained for, in tokens
 * @param parameterBytes bytes of all weights as stored (quantised size)
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record ModelInfo(String name, String architecture, int layers, int embeddingDim, int heads, int kvHeads,
                        int headDim, int ffnDim, int vocabularySize, int contextLength, long parameterBytes) {

    /** {@return query heads that share one key/value head} */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** {@return elements of one token's keys (or values) in one layer: {@code kvHeads × headDim}} */
    public int kvDim() {
        return kvHeads * headDim;
    }
}
