package dev.gantry.engine.synth;

import dev.gantry.engine.tensor.GgmlType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The named shapes, their lookup, and the shapes {@link ModelShape} refuses. */
class ModelShapesTest {

    @Test
    void namesAreLookedUpIgnoringCase() {
        assertSame(ModelShapes.TINY, ModelShapes.named("tiny"));
        assertSame(ModelShapes.TINYLLAMA_1_1B, ModelShapes.named("TinyLlama-1.1B"));
        assertSame(ModelShapes.STORIES_260K, ModelShapes.named("Stories260K"));
        assertEquals(List.of("tiny", "stories260k", "stories15m", "tinyllama-1.1b", "llama3-1b"),
                List.copyOf(ModelShapes.names()));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelShapes.named("gpt5"));
        assertTrue(e.getMessage().contains("gpt5") && e.getMessage().contains("tiny, stories260k, stories15m, "
                + "tinyllama-1.1b, llama3-1b"), e.getMessage());
    }

    @Test
    void namedShapesHaveTheirModelsDimensions() {
        ModelShape t = ModelShapes.named("tinyllama-1.1b");
        assertEquals(List.of(2048, 22, 32, 4, 5632, 32000, 2048), List.of(t.dim(), t.layers(), t.heads(), t.kvHeads(),
                t.ffnDim(), t.vocabSize(), t.contextLength()));
        assertEquals(GgmlType.Q8_0, t.weightType());
        assertEquals(64, t.headDim());
        assertEquals(256, t.kvDim());
        assertEquals(1_100_048_384L, t.parameterCount());

        ModelShape l3 = ModelShapes.named("llama3-1b");
        assertEquals(List.of(2048, 16, 32, 8, 8192, 128256), List.of(l3.dim(), l3.layers(), l3.heads(), l3.kvHeads(),
                l3.ffnDim(), l3.vocabSize()));
        assertTrue(l3.tiedEmbeddings() && l3.llama3RopeScaling());
        assertEquals(500000f, l3.ropeTheta());

        ModelShape s = ModelShapes.named("stories260k");
        assertEquals(List.of(64, 5, 8, 4, 172, 512), List.of(s.dim(), s.layers(), s.heads(), s.kvHeads(), s.ffnDim(),
                s.vocabSize()));
        ModelShape m = ModelShapes.named("stories15m");
        assertEquals(List.of(288, 6, 6, 6, 768, 32000), List.of(m.dim(), m.layers(), m.heads(), m.kvHeads(),
                m.ffnDim(), m.vocabSize()));
        ModelShape tiny = ModelShapes.named("tiny");
        assertEquals(List.of(64, 2, 4, 2, 96, 320), List.of(tiny.dim(), tiny.layers(), tiny.heads(), tiny.kvHeads(),
                tiny.ffnDim(), tiny.vocabSize()));
    }

    @Test
    void rowsThatAreNoWholeNumberOfBlocksAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelShapes.STORIES_260K.withWeightType(GgmlType.Q8_0));
        assertTrue(e.getMessage().contains("ffnDim = 172") && e.getMessage().contains("multiples of 32"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelShapes.TINY.withWeightType(GgmlType.Q4_K));
        ModelShapes.TINYLLAMA_1_1B.withWeightType(GgmlType.Q4_K); // 2048 and 5632 are multiples of 256
    }

    @Test
    void inconsistentShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModelShapes.TINY.withVocabSize(300));
        assertThrows(IllegalArgumentException.class, () -> ModelShapes.TINY.withLayers(0));
        assertThrows(IllegalArgumentException.class,
                () -> new ModelShape("x", 64, 1, 5, 1, 64, 400, 64, 1e4f, 1e-5f, false, GgmlType.F32, false));
        assertThrows(IllegalArgumentException.class,
                () -> new ModelShape("x", 64, 1, 4, 3, 64, 400, 64, 1e4f, 1e-5f, false, GgmlType.F32, false));
        assertThrows(IllegalArgumentException.class,
                () -> new ModelShape("x", 36, 1, 4, 4, 64, 400, 64, 1e4f, 1e-5f, false, GgmlType.F32, false));
    }
}
