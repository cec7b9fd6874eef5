package dev.gantry.tck.planner;

import dev.gantry.spi.ClusterEvent;
import dev.gantry.spi.planner.GraphNodes;
import dev.gantry.spi.planner.ParallelPlanner;
import dev.gantry.spi.planner.PlanningProblem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every {@link ParallelPlanner} keeps, as JUnit Jupiter tests. Extend it, name your planner and
 * declare what it does:
 *
 * <pre>{@code
 * class MyPlannerContractTest extends ParallelPlannerContractTest {
 *     @Override
 *     protected PlannerKit parallelPlanner() {
 *         return GantryTck.parallelPlanner("my-planner").behaves(PlannerBehavior.MULTI_DEVICE);
 *     }
 * }
 * }</pre>
 *
 * <p>The problems are those of {@link PlanningProblems}; every plan is checked by the rules of
 * {@code PlanChecks} (shape, device memory, budget, links) and must carry the shared cost model's prediction.
 */
public abstract class ParallelPlannerContractTest {

    private PlannerKit kit;

    /** The planner under test, found by {@code GantryTck.parallelPlanner(name)}, with its behaviours. */
    protected abstract PlannerKit parallelPlanner();

    private PlannerKit kit() {
        if (kit == null) {
            kit = parallelPlanner();
        }
        return kit;
    }

    private boolean declares(PlannerBehavior b) {
        return kit().behaviors().contains(b);
    }

    /** The planner answers to the name operators select it by. */
    @Test
    public void namesItselfAsItsFactoryDoes() {
        assertEquals(kit().subject().name(), kit().create().name(), "ParallelPlanner.name() of the created planner");
    }

    /**
     * A model that fits gets a plan that fits the problem's shape, device memory and links, scored by the shared
     * cost model it was handed.
     */
    @Test
    public void plansWithinDeviceMemoryAndScoresWithTheSharedCostModel() {
        PlanOutcome outcome = kit().plan(PlanningProblems.oneModel()).assertValid();
        if (!declares(PlannerBehavior.MULTI_DEVICE)) {
            assertEquals(1, outcome.maxDevicesPerInstance(), outcome.label()
                    + ": an instance uses several devices without MULTI_DEVICE declared");
        }
    }

    /** A budget is respected: the plan's devices cost no more than it, or the problem is refused. */
    @Test
    public void staysWithinTheBudget() {
        kit().plan(PlanningProblems.oneModelOnABudget()).assertValidOrRefusedCleanly();
    }

    /** The same problem with the same seed gives the same plan. */
    @Test
    public void isDeterministicForASeed() {
        PlanningProblem p = PlanningProblems.oneModel();
        assertEquals(kit().plan(p).assertValid().plan(), kit().plan(p).plan(), kit().subject()
                + ": two planners with one seed planned one problem differently");
    }

    /** What nothing can hold is refused with {@code InfeasiblePlanException} naming the model. */
    @Test
    public void refusesAnInfeasibleProblemNamingTheModel() {
        kit().plan(PlanningProblems.impossible()).assertRefusedNaming("llama-70b");
    }

    /**
     * Declared: a model larger than any device gets a valid plan over several devices. Not declared: it is
     * refused as infeasible, naming the model.
     */
    @Test
    public void spreadsAModelOverDevicesOnlyWhenDeclared() {
        PlanOutcome outcome = kit().plan(PlanningProblems.modelLargerThanAnyDevice());
        if (declares(PlannerBehavior.MULTI_DEVICE)) {
            assertTrue(outcome.assertValid().maxDevicesPerInstance() > 1, outcome.label());
        } else {
            outcome.assertRefusedNaming("llama-70b");
        }
    }

    /**
     * Declared: both models of a two-model workload get instances. Not declared: the problem is refused as
     * infeasible.
     */
    @Test
    public void placesSeveralModelsOnlyWhenDeclared() {
        PlanOutcome outcome = kit().plan(PlanningProblems.twoModels());
        if (declares(PlannerBehavior.MULTI_MODEL)) {
            assertEquals(Set.of("llama-7b", "mistral-7b"), outcome.assertValid().modelsServed(), outcome.label());
        } else {
            outcome.assertRefusedNaming("");
        }
    }

    /**
     * A graph model is planned validly: with graph-node stages when {@link PlannerBehavior#GRAPH_STAGES} is
     * declared; otherwise with layer ranges, or refused as infeasible.
     */
    @Test
    public void plansGraphModelsAsDeclared() {
        PlanOutcome outcome = kit().plan(PlanningProblems.graphModel());
        boolean graphStages = outcome.plan() != null && outcome.plan().instances().stream()
                .flatMap(i -> i.stages().stream()).anyMatch(s -> s.slice() instanceof GraphNodes);
        if (declares(PlannerBehavior.GRAPH_STAGES)) {
            outcome.assertValid();
            assertTrue(graphStages, outcome.label() + ": declares GRAPH_STAGES but used no graph-node stage");
        } else {
            outcome.assertValidOrRefusedCleanly();
            assertTrue(!graphStages, outcome.label() + ": used graph-node stages without declaring GRAPH_STAGES");
        }
    }

    /**
     * When the devices a plan uses are lost, re-planning returns a valid plan on what is left and a migration
     * that loads every device that joins, copying only from survivors.
     */
    @Test
    public void replansAfterLosingItsDevicesWithAValidMigration() {
        PlanningProblem before = PlanningProblems.oneModel();
        PlanOutcome first = kit().plan(before).assertValid();
        List<String> lost = first.plan().deviceIds();
        Assumptions.assumeTrue(lost.size() < before.cluster().devices().size(),
                "the first plan used every device; nothing is left to re-plan on");
        ClusterEvent event = new ClusterEvent.DevicesChanged(lost, List.of(), PlannerKit.NOW);
        PlanningProblem after = before.withCluster(before.cluster().withoutDevices(lost));
        kit().replan(before, event, after, Set.copyOf(lost)).assertValidMigration();
    }

    /** A preemption notice that takes nothing away yet gets a valid re-plan and migration. */
    @Test
    public void replansOnAPreemptionNotice() {
        PlanningProblem p = PlanningProblems.oneModel();
        ClusterEvent notice = new ClusterEvent.PreemptionNotice("host-b", Duration.ofSeconds(30), PlannerKit.NOW);
        kit().replan(p, notice, p, Set.of()).assertValidMigration();
    }
}
