package dev.gantry.spi.planner;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComputeGraphTest {

    private static final LayerCost C = new LayerCost(1, 1, 1, 0);

    private static ComputeGraph.Node node(String id) {
        return new ComputeGraph.Node(id, C);
    }

    private static String failure(List<ComputeGraph.Node> nodes, List<ComputeGraph.Edge> edges) {
        return assertThrows(IllegalArgumentException.class, () -> new ComputeGraph(nodes, edges)).getMessage();
    }

    @Test
    void refusesGraphsThatAreNotTopologicallyOrderedDags() {
        assertTrue(failure(List.of(node("a"), node("b")), List.of(new ComputeGraph.Edge("b", "a")))
                .contains("edge b → a goes backwards"));
        assertTrue(failure(List.of(node("a"), node("a")), List.of()).contains("duplicate node id 'a'"));
        assertTrue(failure(List.of(node("a")), List.of(new ComputeGraph.Edge("a", "z")))
                .contains("names unknown node 'z'"));
        assertTrue(failure(List.of(node("a"), node("b")),
                List.of(new ComputeGraph.Edge("a", "b"), new ComputeGraph.Edge("a", "b"))).contains("duplicate edge"));
        assertTrue(failure(List.of(), List.of()).contains("at least one node"));
        assertThrows(IllegalArgumentException.class, () -> new ComputeGraph.Node(" ", C));
    }

    @Test
    void answersPositionsAndSuccessors() {
        ComputeGraph g = new ComputeGraph(List.of(node("a"), node("b"), node("c")),
                List.of(new ComputeGraph.Edge("a", "c"), new ComputeGraph.Edge("a", "b")));
        assertEquals(2, g.indexOf("c"));
        assertEquals(-1, g.indexOf("x"));
        assertEquals(List.of(2, 1), g.successors(0));
        assertEquals(List.of(), g.successors(2));
    }
}
