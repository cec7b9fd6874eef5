package dev.gantry.tck.planner;

import dev.gantry.plugins.baseline.planner.RooflinePlanEvaluator;
import dev.gantry.spi.ClusterEvent;
import dev.gantry.spi.planner.InfeasiblePlanException;
import dev.gantry.spi.planner.ParallelPlanner;
import dev.gantry.spi.planner.ParallelPlannerFactory;
import dev.gantry.spi.planner.Plan;
import dev.gantry.spi.planner.PlanEvaluator;
import dev.gantry.spi.planner.PlanPrediction;
import dev.gantry.spi.planner.PlannerContext;
import dev.gantry.spi.planner.PlanningProblem;
import dev.gantry.spi.planner.Replan;
import dev.gantry.tck.PluginUnderTest;

import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A parallel planner under test and the problems to pose it:
 *
 * <pre>{@code
 * PlannerKit kit = GantryTck.parallelPlanner("single-instance");
 * kit.plan(PlanningProblems.oneModel()).assertValid();
 * }</pre>
 *
 * <p>Planners are created by the plugin's factory with a fixed clock and seed and handed the shared cost model,
 * the baseline's {@link RooflinePlanEvaluator}, through a wrapper that counts the calls. Instances are
 * immutable.
 */
public final class PlannerKit {

    /** The seed every planner is created with. */
    public static final long SEED = 42;

    /** The instant the planners' clock stands at. */
    public static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final PluginUnderTest<ParallelPlannerFactory> subject;
    private final Set<PlannerBehavior> behaviors;

    private PlannerKit(PluginUnderTest<ParallelPlannerFactory> subject, Set<PlannerBehavior> behaviors) {
        this.subject = subject;
        this.behaviors = Set.copyOf(behaviors);
    }

    /** Used by {@code GantryTck}. */
    public static PlannerKit of(PluginUnderTest<ParallelPlannerFactory> subject) {
        return new PlannerKit(subject, Set.of());
    }

    /** The planner with one more setting (relative to the plugin's namespace). */
    public PlannerKit config(String key, String value) {
        return new PlannerKit(subject.with(key, value), behaviors);
    }

    /** Declares behaviours the planner has. */
    public PlannerKit behaves(PlannerBehavior... more) {
        Set<PlannerBehavior> all = EnumSet.noneOf(PlannerBehavior.class);
        all.addAll(behaviors);
        all.addAll(List.of(more));
        return new PlannerKit(subject, all);
    }

    /** The behaviours declared. */
    public Set<PlannerBehavior> behaviors() {
        return behaviors;
    }

    /** The planner under test. */
    public PluginUnderTest<ParallelPlannerFactory> subject() {
        return subject;
    }

    /** The shared cost model plans are scored with. */
    public static PlanEvaluator sharedCostModel() {
        return new RooflinePlanEvaluator();
    }

    /** A new planner from the plugin's factory, with the kit's clock and seed. */
    public ParallelPlanner create() {
        return subject.factory().create(subject.config(), PlannerContext.of(InstantSource.fixed(NOW), SEED));
    }

    /** Asks a new planner for a plan. */
    public PlanOutcome plan(PlanningProblem problem) {
        return plan(create(), problem);
    }

    /** Asks {@code planner} for a plan. */
    public PlanOutcome plan(ParallelPlanner planner, PlanningProblem problem) {
        Counting evaluator = new Counting(sharedCostModel());
        try {
            Plan plan = planner.plan(problem, evaluator);
            return new PlanOutcome(subject + " on " + describe(problem), problem, plan, null, evaluator.calls.get());
        } catch (RuntimeException e) {
            return new PlanOutcome(subject + " on " + describe(problem), problem, null, e, evaluator.calls.get());
        }
    }

    /**
     * Plans {@code before}, then re-plans for {@code after} on {@code event} with the same planner, and returns
     * both.
     */
    public ReplanOutcome replan(PlanningProblem before, ClusterEvent event, PlanningProblem after, Set<String> lost) {
        ParallelPlanner planner = create();
        PlanOutcome first = plan(planner, before);
        if (first.plan() == null) {
            fail(first.label() + ": cannot re-plan, the first plan failed: " + first.thrown());
        }
        Counting evaluator = new Counting(sharedCostModel());
        String label = subject + " re-planning after " + event;
        try {
            Replan r = planner.replan(after, first.plan(), event, evaluator);
            return new ReplanOutcome(label, first, after, lost, r, null, evaluator.calls.get());
        } catch (RuntimeException e) {
            return new ReplanOutcome(label, first, after, lost, null, e, evaluator.calls.get());
        }
    }

    static String describe(PlanningProblem p) {
        return p.models().size() + " model(s) " + p.models().stream().map(m -> m.name()).toList() + " on "
                + p.cluster().devices().size() + " device(s)";
    }

    /** The shared cost model, counting its calls. */
    private static final class Counting implements PlanEvaluator {
        private final PlanEvaluator delegate;
        private final AtomicLong calls = new AtomicLong();

        Counting(PlanEvaluator delegate) {
            this.delegate = delegate;
        }

        @Override
        public PlanPrediction evaluate(PlanningProblem problem, Plan plan) {
            calls.incrementAndGet();
            return delegate.evaluate(problem, plan);
        }

        @Override
        public PlanPrediction estimate(PlanningProblem problem, Plan plan) {
            calls.incrementAndGet();
            return delegate.estimate(problem, plan);
        }
    }

    /** Whether a planner's exception is the clean refusal the SPI asks for. */
    static boolean refusedCleanly(Throwable t) {
        return t instanceof InfeasiblePlanException && t.getMessage() != null && !t.getMessage().isBlank();
    }
}
