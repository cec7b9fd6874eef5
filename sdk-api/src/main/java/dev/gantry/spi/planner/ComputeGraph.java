package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A model as a directed acyclic graph of blocks, for models that are not one chain of layers: multi-modal
 * encoders feeding a fusion block, multi-branch networks. GraphPipe partitions such a graph into a DAG of
 * stages whose independent branches run side by side; its stages name node ids
 * ({@link GraphNodes}) instead of layer ranges.
 *
 * <p>Nodes are listed in a topological order (every edge goes from an earlier node to a later one), and node
 * {@code i} is layer {@code i} of its {@link ModelDescription}: a planner that ignores the graph sees an
 * ordinary chain of layers, and a graph that is a chain reduces exactly to pipeline parallelism.
 *
 * @param nodes the blocks, in a topological order; not empty, ids unique
 * @param edges data dependencies: {@code to} reads the output of {@code from}; no duplicates
 * @since 0.1
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record ComputeGraph(List<Node> nodes, List<Edge> edges) {

    /**
     * Copies the lists and checks them.
     *
     * @throws IllegalArgumentException for no nodes, duplicate ids, edges to unknown nodes, backward or duplicate
     *                                   edges
     */
    public ComputeGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("compute graph: needs at least one node");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (index.put(nodes.get(i).id(), i) != null) {
                throw new IllegalArgumentException("compute graph: duplicate node id '" + nodes.get(i).id() + "'");
            }
        }
        Set<Edge> seen = new HashSet<>();
        for (Edge e : edges) {
            Integer from = index.get(e.from());
            Integer to = index.get(e.to());
            if (from == null || to == null) {
                throw new IllegalArgumentException("compute graph: edge " + e.from() + " → " + e.to()
                        + " names unknown node '" + (from == null ? e.from() : e.to()) + "'");
            }
            if (from >= to) {
                throw new IllegalArgumentException("compute graph: edge " + e.from() + " → " + e.to()
                        + " goes backwards; list nodes in a topological order");
            }
            if (!seen.add(e)) {
                throw new IllegalArgumentException("compute graph: duplicate edge " + e.from() + " → " + e.to());
            }
        }
    }

    /**
     * The position of the node with this id (its layer index), or -1 when there is none.
     *
     * @param id the node id
     * @return its position, or -1
     */
    public int indexOf(String id) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Positions of the nodes that read the output of node {@code index}, in edge order.
     *
     * @param index the node's position
     * @return the positions of its successors
     */
    public List<Integer> successors(int index) {
        String id = nodes.get(index).id();
        List<Integer> out = new ArrayList<>();
        for (Edge e : edges) {
            if (e.from().equals(id)) {
                out.add(indexOf(e.to()));
            }
        }
        return out;
    }

    /**
     * One block of the graph.
     *
     * @param id   unique within the graph; not blank
     * @param cost what the block costs to hold and run
     * @since 0.1
     */
    @Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
    public record Node(String id, LayerCost cost) {
        /**
         * Checks the node.
         *
         * @throws IllegalArgumentException for a blank id
         */
        public Node {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("compute graph node: id must not be blank");
            }
            Objects.requireNonNull(cost, "cost of node " + id);
        }
    }

    /**
     * A data dependency: node {@code to} reads the output of node {@code from}.
     *
     * @param from the node whose output is read; not null
     * @param to   the node that reads it; not null
     * @since 0.1
     */
    @Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
    public record Edge(String from, String to) {
        /**
         * Checks the edge.
         *
         * @throws NullPointerException when an end is null
         */
        public Edge {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }
}
