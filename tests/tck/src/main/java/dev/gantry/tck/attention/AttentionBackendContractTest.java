package dev.gantry.tck.attention;

import dev.gantry.spi.attention.Approximation;
import dev.gantry.spi.attention.AttentionBackend;
import dev.gantry.spi.attention.AttentionPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every {@link AttentionBackend} keeps, as JUnit Jupiter tests. Extend it, name your backend and
 * declare what it does:
 *
 * <pre>{@code
 * class MyBackendContractTest extends AttentionBackendContractTest {
 *     @Override
 *     protected AttentionKit attentionBackend() {
 *         return GantryTck.attentionBackend("my-backend").behaves(AttentionBehavior.APPROXIMATE);
 *     }
 * }
 * }</pre>
 *
 * <p>The kit runs its workload once per test class (see {@link AttentionKit#run()}) and compares every call
 * with dense attention over the same stored keys and values.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AttentionBackendContractTest {

    private AttentionKit kit;
    private AttentionRun run;

    /** The backend under test, found by {@code GantryTck.attentionBackend(name)}, with its behaviours. */
    protected abstract AttentionKit attentionBackend();

    private AttentionKit kit() {
        if (kit == null) {
            kit = attentionBackend();
        }
        return kit;
    }

    private AttentionRun run() {
        if (run == null) {
            run = kit().run();
        }
        return run;
    }

    private boolean declares(AttentionBehavior b) {
        return kit().behaviors().contains(b);
    }

    /** The backend answers to the name operators select it by. */
    @Test
    public void namesItselfAsItsFactoryDoes() {
        assertEquals(kit().subject().name(), run().backendName(), "AttentionBackend.name() of the created backend");
    }

    /**
     * It says what it is: exact unless {@link AttentionBehavior#APPROXIMATE} is declared; an approximate one
     * describes its approximation and bounds its error.
     */
    @Test
    public void declaresItsApproximation() {
        Approximation a = run().approximation();
        assertNotNull(a, "approximation() must not be null");
        if (declares(AttentionBehavior.APPROXIMATE)) {
            assertFalse(a.exact(), run().label() + ": declares APPROXIMATE but its approximation() is exact");
            assertTrue(a.maxRelativeError() > 0 && Double.isFinite(a.maxRelativeError()), run().label()
                    + ": an approximate backend bounds its relative error by a finite positive number, not "
                    + a.maxRelativeError());
            assertFalse(a.description().isBlank(), run().label() + ": describe the approximation in one sentence");
        } else {
            assertTrue(a.exact(), run().label() + ": declares itself approximate (" + a.description()
                    + ") without declaring APPROXIMATE");
        }
    }

    /**
     * Every prefill-chunk and decode call is within the declared error of dense attention (exact backends:
     * {@value AttentionKit#EXACT_TOLERANCE}), and writes every output element.
     */
    @Test
    public void matchesDenseAttentionInPrefillAndDecode() {
        run().assertNoFailures().assertExercised(AttentionPhase.PREFILL).assertExercised(AttentionPhase.DECODE)
                .assertMatchesDenseAttention();
    }

    /**
     * Declared: draft-tree calls match dense attention under the tree mask. Not declared: a tree mask is refused
     * with {@link UnsupportedOperationException}.
     */
    @Test
    public void handlesDraftTreesOnlyWhenDeclared() {
        if (declares(AttentionBehavior.TREE_VERIFICATION)) {
            run().assertExercised(AttentionPhase.VERIFY).assertMatchesDenseAttention();
        } else {
            Throwable thrown = kit().attendToATree();
            assertInstanceOf(UnsupportedOperationException.class, thrown, kit().subject()
                    + ": without TREE_VERIFICATION a tree mask must be refused with UnsupportedOperationException");
        }
    }

    /**
     * Per-sequence state lives as long as the sequence: the engine releases every sequence as it finishes, is
     * cancelled or is preempted, and afterwards the backend holds none of their ids.
     */
    @Test
    public void releasesStateWithTheSequence() {
        run().assertReleasedEverySequence();
        assertTrue(run().sawPreemption(), run().label() + ": the kit's budget forced no preemption");
    }
}
