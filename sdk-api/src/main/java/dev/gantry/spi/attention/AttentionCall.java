package dev.gantry.spi.attention;

import dev.gantry.spi.Api;
import dev.gantry.spi.SequenceId;

/**
 * One layer's attention for one sequence in one step: the queries (RoPE applied), the stored KV, the mask,
 * and where to write the result.
 *
 * <p>Array layouts are query-major then head: element {@code d} of head {@code h} of query {@code i} is at
 * {@code i × heads × headDim + h × headDim + d} from the array's offset. The engine reuses the arrays across
 * calls; a backend must not keep references to them after {@link AttentionBackend#attend} returns.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface AttentionCall {

    /** {@return the layer's geometry} */
    LayerInfo layer();

    /** {@return the sequence} */
    SequenceId sequence();

    /** {@return prefill chunk, single decode token, or draft-tree verification} */
    AttentionPhase phase();

    /** {@return number of queries (tokens) in this call} */
    int queryCount();

    /**
     * The token position of query {@code i}.
     *
     * @param i the query, {@code 0 ≤ i < queryCount()}
     * @return its position in the sequence
     */
    int queryPosition(int i);

    /** {@return query vectors; see the class javadoc for the layout} */
    float[] queries();

    /** {@return offset of query 0, head 0 in {@link #queries()}} */
    int queriesOffset();

    /** {@return the sequence's stored keys and values in this layer} */
    KvSequenceView kv();

    /** {@return which slots each query may see} */
    AttentionMask mask();

    /** {@return the softmax scale (usually {@code 1/sqrt(headDim)})} */
    float scale();

    /**
     * Where the result goes, in the same layout as the queries. Overwrite, do not accumulate.
     *
     * @return the output array, written from {@link #outputOffset()}
     */
    float[] output();

    /** {@return offset of query 0, head 0 in {@link #output()}} */
    int outputOffset();

    /** {@return scratch shared by all layers of this sequence in this step} */
    StepState stepState();

    /**
     * The first KV head this call computes. Only a backend that {@linkplain AttentionBackend#splitsByKvHead()
     * accepts split calls} is given anything but the whole layer; it then computes and writes only the query
     * heads of KV heads {@code [kvHeadStart(), kvHeadEnd())}.
     *
     * @return the first KV head, {@code 0} unless the engine split the call
     * @since 0.2
     */
    default int kvHeadStart() {
        return 0;
    }

    /**
     * One past the last KV head this call computes; see {@link #kvHeadStart()}.
     *
     * @return the end of the KV head range, {@code layer().kvHeads()} unless the engine split the call
     * @since 0.2
     */
    default int kvHeadEnd() {
        return layer().kvHeads();
    }
}
