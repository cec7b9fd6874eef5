package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.util.HashSet;
import java.util.List;

/**
 * The nodes of a {@link ComputeGraph} one stage holds (GraphPipe's graph stages). The nodes need not form a
 * chain: a stage may hold a whole branch.
 *
 * @param nodeIds ids of the nodes held; not empty, no duplicates
 * @since 0.1
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record GraphNodes(List<String> nodeIds) implements ModelSlice {

    /**
     * Copies the ids and checks them.
     *
     * @throws IllegalArgumentException for no ids, a blank id or a repeated one
     */
    public GraphNodes {
        nodeIds = List.copyOf(nodeIds);
        if (nodeIds.isEmpty()) {
            throw new IllegalArgumentException("graph nodes of a stage: at least one node id is needed");
        }
        if (new HashSet<>(nodeIds).size() != nodeIds.size()) {
            throw new IllegalArgumentException("graph nodes of a stage: duplicate node id in " + nodeIds);
        }
    }

    @Override
    public int size() {
        return nodeIds.size();
    }
}
