package dev.gantry.spi.planner;

import dev.gantry.spi.ModelInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelDescriptionTest {

    private static String failure(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void validatesTotalsWithMessagesNamingTheModel() {
        assertTrue(failure(() -> ModelDescription.uniform(" ", 1, 1, 1, 0, 0)).contains("name must not be blank"));
        assertTrue(failure(() -> ModelDescription.uniform("m", 0, 1, 1, 0, 0))
                .contains("model 'm': layers must be ≥ 1, got 0"));
        assertTrue(failure(() -> ModelDescription.uniform("m", 2, 0, 1, 0, 0)).contains("parameterBytes"));
        assertTrue(failure(() -> ModelDescription.uniform("m", 2, 10, Double.NaN, 0, 0)).contains("flopsPerToken"));
        assertTrue(failure(() -> ModelDescription.uniform("m", 2, 10, 1, -1, 0)).contains("kvBytesPerToken"));
    }

    @Test
    void uniformLayersShareTheTotalsExactly() {
        ModelDescription m = ModelDescription.uniform("m", 3, 1001, 300, 31, 8);
        LayerCost first = m.costOf(LayerRange.of(0, 2));
        LayerCost last = m.costOf(LayerRange.of(2, 3));
        assertEquals(1001, first.parameterBytes() + last.parameterBytes());
        assertEquals(31, first.kvBytesPerToken() + last.kvBytesPerToken());
        assertEquals(300, first.flopsPerToken() + last.flopsPerToken(), 1e-9);
        assertEquals(8, first.activationBytesPerToken(), "the hidden state leaves the first stage");
        assertEquals(0, last.activationBytesPerToken(), "nothing leaves the stage that ends the model");
        assertEquals(new LayerCost(1001, 300, 0, 31), m.costOf(LayerRange.of(0, 3)));
    }

    @Test
    void embeddingsAndHeadGoToTheFirstAndLastStages() {
        List<LayerCost> layers = List.of(new LayerCost(300, 10, 4, 5), new LayerCost(300, 10, 4, 5));
        ModelDescription m = new ModelDescription("m", 2, 1000, 50, 10, 4, layers, Optional.empty());
        assertEquals(500, m.costOf(LayerRange.of(0, 1)).parameterBytes());
        assertEquals(500, m.costOf(LayerRange.of(1, 2)).parameterBytes());
        assertEquals(10, m.costOf(LayerRange.of(0, 1)).flopsPerToken(), 1e-12);
        assertEquals(40, m.costOf(LayerRange.of(1, 2)).flopsPerToken(), 1e-12, "the output head's FLOPs");
        assertEquals(1000, m.costOf(LayerRange.of(0, 2)).parameterBytes());
    }

    @Test
    void perLayerCostsMustAgreeWithTheTotals() {
        List<LayerCost> two = List.of(new LayerCost(300, 10, 4, 5), new LayerCost(300, 10, 4, 5));
        assertTrue(failure(() -> new ModelDescription("m", 3, 1000, 50, 10, 4, two, Optional.empty()))
                .contains("layerCosts has 2 entries but layers is 3"));
        assertTrue(failure(() -> new ModelDescription("m", 2, 1000, 50, 11, 4, two, Optional.empty()))
                .contains("layers' KV bytes per token add up to 10 but kvBytesPerToken is 11"));
        assertTrue(failure(() -> new ModelDescription("m", 2, 500, 50, 10, 4, two, Optional.empty()))
                .contains("more than the model's parameterBytes 500"));
        assertTrue(failure(() -> new ModelDescription("m", 2, 1000, 15, 10, 4, two, Optional.empty()))
                .contains("FLOPs per token add up to 20.0"));
    }

    @Test
    void graphNodesAreLayersAndSlicesCountWhatLeavesThem() {
        LayerCost c = new LayerCost(100, 10, 8, 2);
        ComputeGraph g = new ComputeGraph(
                List.of(new ComputeGraph.Node("a", c), new ComputeGraph.Node("b", c), new ComputeGraph.Node("fuse", c)),
                List.of(new ComputeGraph.Edge("a", "fuse"), new ComputeGraph.Edge("b", "fuse")));
        ModelDescription m = new ModelDescription("mm", 3, 300, 30, 6, 8, List.of(), Optional.of(g));
        LayerCost branches = m.costOf(new GraphNodes(List.of("a", "b")));
        assertEquals(200, branches.parameterBytes());
        assertEquals(16, branches.activationBytesPerToken(), "both branch outputs cross to the fusion stage");
        assertEquals(c, m.layerCost(2));
        assertTrue(failure(() -> m.costOf(new GraphNodes(List.of("c")))).contains("has no graph node 'c'"));
        assertTrue(failure(() -> new ModelDescription("mm", 2, 300, 30, 6, 8, List.of(), Optional.of(g)))
                .contains("graph has 3 nodes but layers is 2"));
        assertTrue(failure(() -> new ModelDescription("mm", 3, 300, 30, 6, 8, List.of(c, c, c), Optional.of(g)))
                .contains("not both"));
        assertTrue(failure(() -> toy().costOf(new GraphNodes(List.of("a")))).contains("has no compute graph"));
        assertTrue(failure(() -> toy().costOf(LayerRange.of(2, 5))).contains("outside model 'toy'"));
    }

    @Test
    void layerCostListIsCopiedAndUnmodifiable() {
        List<LayerCost> source = new ArrayList<>(List.of(new LayerCost(1, 1, 1, 1)));
        ModelDescription m = new ModelDescription("m", 1, 10, 5, 1, 1, source, Optional.empty());
        source.add(new LayerCost(2, 2, 2, 2));
        assertEquals(1, m.layerCosts().size());
        assertThrows(UnsupportedOperationException.class, () -> m.layerCosts().add(new LayerCost(1, 1, 1, 1)));
    }

    @Test
    void describesALlamaFromItsShape() {
        ModelInfo tiny = new ModelInfo("tinyllama", "llama", 22, 2048, 32, 4, 64, 5632, 32000, 2048, 2_200_119_296L);
        ModelDescription m = ModelDescription.fromModelInfo(tiny, 2);
        assertEquals(2L * 22 * 4 * 64 * 2, m.kvBytesPerToken());
        assertEquals(2048 * 2, m.activationBytesPerToken());
        long perLayer = 2048L * 2048 * 2 + 2048L * 256 * 2 + 3L * 2048 * 5632;
        assertEquals(2.0 * (22 * perLayer + 2048L * 32000), m.flopsPerToken());
        assertEquals(2_200_119_296L, m.parameterBytes());
    }

    private static ModelDescription toy() {
        return PlannerFixtures.toyModel();
    }
}
