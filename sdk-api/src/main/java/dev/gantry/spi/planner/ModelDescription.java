package dev.gantry.spi.planner;

import dev.gantry.spi.Api;
import dev.gantry.spi.ModelInfo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model as planners see it: what it weighs, what a token costs, what its KV cache and activations take.
 * Figures are for the whole model unless per-layer costs are given.
 *
 * <p>Per-layer costs come from one of three places, in this order: the nodes of {@link #graph()}, the list
 * {@link #layerCosts()}, or, when both are absent, an even split of the totals over the layers (exact to the
 * byte: the layers' shares always add up to the totals). With per-layer costs, whatever the totals hold
 * beyond the layers' sum — the embedding table and output head — is charged to the stages that hold the
 * first and the last layer; see {@link #costOf(ModelSlice)}.
 *
 * @param name                    the served model name, unique within a {@link PlanningProblem}; not blank
 * @param layers                  number of transformer blocks (graph nodes when a graph is given); ≥ 1
 * @param parameterBytes          bytes of all weights as stored (quantised size), embeddings and output head
 *                                included; ≥ 1
 * @param flopsPerToken           floating-point operations of one token's forward pass (about 2 × parameters;
 *                                attention over the context is not included); finite, &gt; 0
 * @param kvBytesPerToken         bytes of KV cache one token of context takes over all layers
 *                                (2 × layers × kvHeads × headDim × bytes per element for Llama); ≥ 0
 * @param activationBytesPerToken bytes of one token's hidden state as it crosses a stage boundary or a
 *                                tensor-parallel all-reduce (embedding width × bytes per element); ≥ 0
 * @param layerCosts              per-layer costs (Galvatron's per-layer strategies), empty or exactly
 *                                {@code layers} entries; their KV bytes add up to {@code kvBytesPerToken} and
 *                                their parameters and FLOPs to at most the totals
 * @param graph                   the model as a DAG of blocks (GraphPipe), for non-sequential models; its
 *                                nodes then carry the per-layer costs and {@code layerCosts} must be empty
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record ModelDescription(String name, int layers, long parameterBytes, double flopsPerToken,
                               long kvBytesPerToken, long activationBytesPerToken, List<LayerCost> layerCosts,
                               @Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
                               Optional<ComputeGraph> graph) {

    /**
     * Copies the per-layer costs and checks them against the totals.
     *
     * @throws IllegalArgumentException naming the model and the figure at fault
     */
    public ModelDescription {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("model description: name must not be blank");
        }
        String m = "model '" + name + "': ";
        if (layers < 1) {
            throw new IllegalArgumentException(m + "layers must be ≥ 1, got " + layers);
        }
        if (parameterBytes < 1) {
            throw new IllegalArgumentException(m + "parameterBytes must be ≥ 1, got " + parameterBytes);
        }
        if (!(flopsPerToken > 0) || Double.isInfinite(flopsPerToken)) {
            throw new IllegalArgumentException(m + "flopsPerToken must be finite and > 0, got " + flopsPerToken);
        }
        if (kvBytesPerToken < 0 || activationBytesPerToken < 0) {
            throw new IllegalArgumentException(m + "kvBytesPerToken and activationBytesPerToken must be ≥ 0, got "
                    + kvBytesPerToken + " and " + activationBytesPerToken);
        }
        layerCosts = List.copyOf(layerCosts);
        Objects.requireNonNull(graph, m + "graph (use Optional.empty())");
        List<LayerCost> perLayer = layerCosts;
        if (graph.isPresent()) {
            if (!layerCosts.isEmpty()) {
                throw new IllegalArgumentException(m + "give per-layer costs either as layerCosts or as graph nodes,"
                        + " not both");
            }
            if (graph.get().nodes().size() != layers) {
                throw new IllegalArgumentException(m + "graph has " + graph.get().nodes().size()
                        + " nodes but layers is " + layers + "; node i is layer i");
            }
            perLayer = graph.get().nodes().stream().map(ComputeGraph.Node::cost).toList();
        } else if (!layerCosts.isEmpty() && layerCosts.size() != layers) {
            throw new IllegalArgumentException(m + "layerCosts has " + layerCosts.size() + " entries but layers is "
                    + layers);
        }
        if (!perLayer.isEmpty()) {
            long params = 0;
            long kv = 0;
            double flops = 0;
            for (LayerCost c : perLayer) {
                params += c.parameterBytes();
                kv += c.kvBytesPerToken();
                flops += c.flopsPerToken();
            }
            if (params > parameterBytes) {
                throw new IllegalArgumentException(m + "layers hold " + params + " parameter bytes, more than the "
                        + "model's parameterBytes " + parameterBytes);
            }
            if (kv != kvBytesPerToken) {
                throw new IllegalArgumentException(m + "layers' KV bytes per token add up to " + kv
                        + " but kvBytesPerToken is " + kvBytesPerToken);
            }
            if (flops > flopsPerToken * (1 + 1e-9)) {
                throw new IllegalArgumentException(m + "layers' FLOPs per token add up to " + flops
                        + ", more than the model's flopsPerToken " + flopsPerToken);
            }
        }
    }

    /**
     * A model whose layers are all alike, with no per-layer costs and no graph.
     *
     * @param name                    the served model name; not blank
     * @param layers                  number of transformer blocks; ≥ 1
     * @param parameterBytes          bytes of all weights as stored; ≥ 1
     * @param flopsPerToken           floating-point operations of one token's forward pass; > 0
     * @param kvBytesPerToken         bytes of KV cache per token of context, all layers; ≥ 0
     * @param activationBytesPerToken bytes of one token's hidden state between stages; ≥ 0
     * @return the description
     */
    public static ModelDescription uniform(String name, int layers, long parameterBytes, double flopsPerToken,
                                           long kvBytesPerToken, long activationBytesPerToken) {
        return new ModelDescription(name, layers, parameterBytes, flopsPerToken, kvBytesPerToken,
                activationBytesPerToken, List.of(), Optional.empty());
    }

    /**
     * The description of a Llama-family model the engine has loaded. FLOPs per token are 2 × the parameters
     * of the matrix products (attention projections with grouped-query K/V, the SwiGLU feed-forward, the
     * output head), counted from the shape; weights are {@link ModelInfo#parameterBytes()} as stored.
     *
     * @param info              the loaded model's shape; not null
     * @param kvBytesPerElement bytes one cached key or value element takes (2 for F16); ≥ 1
     * @return the description
     */
    public static ModelDescription fromModelInfo(ModelInfo info, int kvBytesPerElement) {
        if (kvBytesPerElement < 1) {
            throw new IllegalArgumentException("kvBytesPerElement must be ≥ 1, got " + kvBytesPerElement);
        }
        long d = info.embeddingDim();
        long attention = d * info.heads() * info.headDim() * 2L + d * info.kvDim() * 2L;
        long feedForward = 3L * d * info.ffnDim();
        long matmulParameters = info.layers() * (attention + feedForward) + d * info.vocabularySize();
        long kv = 2L * info.layers() * info.kvDim() * kvBytesPerElement;
        return uniform(info.name(), info.layers(), info.parameterBytes(), 2.0 * matmulParameters, kv,
                d * kvBytesPerElement);
    }

    /**
     * The cost of layer {@code layer} (graph node {@code layer} when a graph is given).
     *
     * @param layer the layer (graph node) index
     * @return its cost
     * @throws IndexOutOfBoundsException unless {@code 0 ≤ layer < layers}
     */
    public LayerCost layerCost(int layer) {
        Objects.checkIndex(layer, layers);
        if (graph.isPresent()) {
            return graph.get().nodes().get(layer).cost();
        }
        if (!layerCosts.isEmpty()) {
            return layerCosts.get(layer);
        }
        // Telescoping shares, so that any run of layers (and all of them) adds up exactly.
        long params = Math.multiplyExact(parameterBytes, layer + 1L) / layers
                - Math.multiplyExact(parameterBytes, (long) layer) / layers;
        long kv = Math.multiplyExact(kvBytesPerToken, layer + 1L) / layers
                - Math.multiplyExact(kvBytesPerToken, (long) layer) / layers;
        return new LayerCost(params, flopsPerToken / layers, activationBytesPerToken, kv);
    }

    /**
     * What the part of the model one stage holds costs: its weights (with the embedding table and output head
     * split between the stages holding the first and the last layer), its FLOPs and KV bytes per token, and
     * as {@link LayerCost#activationBytesPerToken()} the bytes per token that leave the slice for layers it
     * does not hold (0 for a slice that ends the model).
     *
     * @param slice a layer range or graph nodes of this model; not null
     * @return what the slice costs
     * @throws IllegalArgumentException when the slice names layers or nodes this model does not have
     */
    public LayerCost costOf(ModelSlice slice) {
        return SliceCost.of(this, slice);
    }
}
