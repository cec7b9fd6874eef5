package dev.gantry.tck.scheduler;

import dev.gantry.spi.scheduler.PreemptionMode;
import dev.gantry.spi.scheduler.Scheduler;
import dev.gantry.tck.KitRequest;
import dev.gantry.tck.scheduler.SchedulerRun.Violation.Kind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The contract every {@link Scheduler} keeps, as JUnit Jupiter tests. Extend it, name your scheduler and
 * declare what it does:
 *
 * <pre>{@code
 * class MySchedulerContractTest extends SchedulerContractTest {
 *     @Override
 *     protected SchedulerKit scheduler() {
 *         return GantryTck.scheduler("my-scheduler")
 *                 .behaves(SchedulerBehavior.PREEMPTS_BY_RECOMPUTE)
 *                 .behaves(SchedulerBehavior.PREEMPTS_BY_SWAP, Map.of("my-scheduler.preemption", "swap"));
 *     }
 * }
 * }</pre>
 *
 * <p>The kit runs four workloads through the real engine, once per test class: the standard workload with room
 * to spare; the same with a KV budget about half of what it needs, once per declared preemption behaviour (or
 * once with the scheduler's settings when it declares none); and, when {@link SchedulerBehavior#PRIORITIES} is
 * declared, six requests of different priorities contending for one sequence slot. Every plan of every run is
 * checked against the view it was made from. Each test below is one clause of the contract.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SchedulerContractTest {

    private SchedulerKit kit;
    private SchedulerRun roomy;
    private final Map<String, SchedulerRun> tight = new java.util.LinkedHashMap<>();
    private SchedulerRun priority;

    /** The scheduler under test, found by {@code GantryTck.scheduler(name)}, with its declared behaviours. */
    protected abstract SchedulerKit scheduler();

    /** KV blocks for the tight runs: about half of what the standard workload needs on the kit's models. */
    protected int tightKvBlocks() {
        return 24;
    }

    private SchedulerKit kit() {
        if (kit == null) {
            kit = scheduler();
        }
        return kit;
    }

    private SchedulerRun roomy() {
        if (roomy == null) {
            roomy = kit().run();
        }
        return roomy;
    }

    /** The tight runs: one per declared preemption behaviour, or one with the plain settings. */
    private List<SchedulerRun> tight() {
        if (tight.isEmpty()) {
            List<SchedulerBehavior> modes = kit().behaviors().stream()
                    .filter(b -> b != SchedulerBehavior.PRIORITIES).sorted().toList();
            if (modes.isEmpty()) {
                tight.put("plain", kit().kvBlocks(tightKvBlocks()).run());
            }
            for (SchedulerBehavior b : modes) {
                SchedulerKit k = kit().showing(b).kvBlocks(tightKvBlocks());
                if (b == SchedulerBehavior.PREEMPTS_BY_SWAP) {
                    k = k.hostSwapBlocks(512);
                }
                tight.put(b.name(), k.run());
            }
        }
        return List.copyOf(tight.values());
    }

    private SchedulerRun tight(SchedulerBehavior behavior) {
        tight();
        return tight.get(behavior.name());
    }

    private List<SchedulerRun> allRuns() {
        List<SchedulerRun> runs = new ArrayList<>();
        runs.add(roomy());
        runs.addAll(tight());
        if (kit().behaviors().contains(SchedulerBehavior.PRIORITIES)) {
            runs.add(priorityRun());
        }
        return runs;
    }

    private SchedulerRun priorityRun() {
        if (priority == null) {
            int[] priorities = {0, 5, 1, 9, 3, 7};
            List<KitRequest> requests = new ArrayList<>();
            List<KitRequest> stories = KitRequest.stories(priorities.length, 6);
            for (int i = 0; i < priorities.length; i++) {
                requests.add(stories.get(i).withPriority(priorities[i]));
            }
            priority = kit().showing(SchedulerBehavior.PRIORITIES).workload(requests).maxSequences(1).run();
        }
        return priority;
    }

    private boolean declares(SchedulerBehavior b) {
        return kit().behaviors().contains(b);
    }

    /** The scheduler answers to the name operators select it by. */
    @Test
    public void namesItselfAsItsFactoryDoes() {
        assertEquals(kit().subject().name(), roomy().schedulerName(), "Scheduler.name() of the created scheduler");
    }

    /** No step processes more tokens or sequences than the step's limits. */
    @Test
    public void staysWithinTheTokenAndSequenceLimits() {
        allRuns().forEach(r -> r.assertNo(Kind.STEP_LIMIT));
    }

    /** No plan needs more KV blocks than are free plus those its own preemptions free. */
    @Test
    public void staysWithinTheKvBudget() {
        allRuns().forEach(r -> r.assertNo(Kind.KV_BUDGET));
    }

    /**
     * Plans name only sequences the engine holds, each once; decoding sequences get one token and prefill
     * chunks no more than is left to prefill.
     */
    @Test
    public void plansOnlyWhatTheEngineHolds() {
        allRuns().forEach(r -> r.assertNo(Kind.PLAN));
    }

    /** Every admitted request ends with all its tokens; every preempted one runs again. */
    @Test
    public void everyAdmittedRequestFinishes() {
        allRuns().forEach(SchedulerRun::assertEveryRequestFinished);
    }

    /** Under a fixed workload, even one that does not fit in memory at once, no request waits forever. */
    @Test
    public void noRequestStarvesUnderAFixedWorkload() {
        allRuns().forEach(r -> r.assertNo(Kind.STALL));
        allRuns().forEach(r -> assertEquals(null, r.abandoned(), r.label()));
    }

    /** A request gets exactly the same tokens when it is preempted (either way) as when it is not. */
    @Test
    public void preemptedOutputIsUnchanged() {
        for (SchedulerRun r : tight()) {
            r.assertEveryRequestFinished().assertSameTokensAs(roomy());
        }
    }

    /**
     * Declared: under memory pressure it preempts by recompute. Not declared: it never does, and does not
     * announce it.
     */
    @Test
    public void preemptsByRecomputeOnlyWhenDeclared() {
        if (declares(SchedulerBehavior.PREEMPTS_BY_RECOMPUTE)) {
            tight(SchedulerBehavior.PREEMPTS_BY_RECOMPUTE).assertPreempted(PreemptionMode.RECOMPUTE)
                    .assertEveryRequestFinished();
        } else {
            allRuns().forEach(r -> assertFalse(r.preemptionModesUsed().contains(PreemptionMode.RECOMPUTE),
                    r.label() + ": preempted by RECOMPUTE, which it does not declare"));
        }
    }

    /**
     * Declared: under memory pressure, with a host pool, it swaps sequences out and back in, and lists
     * {@code SWAP} in {@code preemptionModes()} so that the engine provisions the pool. Not declared: it never
     * swaps.
     */
    @Test
    public void preemptsBySwapOnlyWhenDeclared() {
        if (declares(SchedulerBehavior.PREEMPTS_BY_SWAP)) {
            tight(SchedulerBehavior.PREEMPTS_BY_SWAP).assertNo(Kind.UNDECLARED_MODE)
                    .assertPreempted(PreemptionMode.SWAP).assertEveryRequestFinished();
        } else {
            allRuns().forEach(r -> assertFalse(r.preemptionModesUsed().contains(PreemptionMode.SWAP),
                    r.label() + ": preempted by SWAP, which it does not declare"));
        }
    }

    /** Every preemption uses a mode the scheduler lists in {@code preemptionModes()}. */
    @Test
    public void usesOnlyThePreemptionModesItAnnounces() {
        allRuns().forEach(r -> r.assertNo(Kind.UNDECLARED_MODE));
    }

    /** Declared: requests waiting together are admitted highest priority first. */
    @Test
    public void admitsByPriorityWhenDeclared() {
        Assumptions.assumeTrue(declares(SchedulerBehavior.PRIORITIES),
                "PRIORITIES is not declared: nothing to check");
        SchedulerRun run = priorityRun().assertEveryRequestFinished();
        Map<dev.gantry.spi.SequenceId, Integer> priorities = run.outcomes().stream().collect(Collectors.toMap(
                SchedulerRun.RequestOutcome::sequence, o -> o.request().priority()));
        List<Integer> admitted = run.admissionOrder().stream().map(priorities::get).toList();
        List<Integer> expected = admitted.stream().sorted(Comparator.reverseOrder()).toList();
        assertEquals(expected, admitted, run.label() + ": priorities in the order they were admitted");
    }

    /** After every request ended, the scheduler holds no sequence id (state is dropped in onFinished). */
    @Test
    public void forgetsSequencesThatLeft() {
        allRuns().forEach(SchedulerRun::assertReleasedEverySequence);
    }
}
