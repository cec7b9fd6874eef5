package dev.gantry.spi.planner;

import java.util.BitSet;
import java.util.List;

/** Resolves a {@link ModelSlice} to the layers it holds and sums their costs, for {@link ModelDescription}. */
final class SliceCost {

    private SliceCost() {
    }

    /** The layer indices a slice holds. */
    static BitSet layersOf(ModelDescription model, ModelSlice slice) {
        BitSet held = new BitSet(model.layers());
        switch (slice) {
            case LayerRange r -> {
                if (r.to() > model.layers()) {
                    throw new IllegalArgumentException("layers " + r + " lie outside model '" + model.name()
                            + "', which has " + model.layers() + " layers");
                }
                held.set(r.from(), r.to());
            }
            case GraphNodes g -> {
                ComputeGraph graph = model.graph().orElseThrow(() -> new IllegalArgumentException(
                        "a stage names graph nodes " + g.nodeIds() + " but model '" + model.name()
                                + "' has no compute graph"));
                for (String id : g.nodeIds()) {
                    int i = graph.indexOf(id);
                    if (i < 0) {
                        throw new IllegalArgumentException("model '" + model.name() + "' has no graph node '" + id
                                + "'");
                    }
                    held.set(i);
                }
            }
        }
        return held;
    }

    static LayerCost of(ModelDescription model, ModelSlice slice) {
        BitSet held = layersOf(model, slice);
        int last = model.layers() - 1;
        long params = 0;
        long kv = 0;
        long leaving = 0;
        double flops = 0;
        long allParams = 0;
        double allFlops = 0;
        for (int i = 0; i <= last; i++) {
            LayerCost c = model.layerCost(i);
            allParams += c.parameterBytes();
            allFlops += c.flopsPerToken();
            if (!held.get(i)) {
                continue;
            }
            params += c.parameterBytes();
            kv += c.kvBytesPerToken();
            flops += c.flopsPerToken();
            if (successors(model, i).stream().anyMatch(s -> !held.get(s))) {
                leaving += c.activationBytesPerToken();
            }
        }
        // What no layer accounts for is the embedding table (read by the first layer's stage) and the
        // output head (on the last layer's stage); half each, so a single stage gets all of it.
        long rest = model.parameterBytes() - allParams;
        if (held.get(0)) {
            params += rest / 2;
        }
        if (held.get(last)) {
            params += rest - rest / 2;
            flops += Math.max(0, model.flopsPerToken() - allFlops);
        }
        return new LayerCost(params, flops, leaving, kv);
    }

    private static List<Integer> successors(ModelDescription model, int layer) {
        if (model.graph().isPresent()) {
            return model.graph().get().successors(layer);
        }
        return layer + 1 < model.layers() ? List.of(layer + 1) : List.of();
    }
}
