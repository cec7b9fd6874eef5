package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

/**
 * The shared cost model every planner scores its candidates with — Proteus's role: because all planners
 * are handed the same evaluator, their plans can be compared with each other on one workload in one run.
 * The runtime provides one (a discrete-event simulator over the engine's measured step times, where
 * available); the baseline plugin's {@code RooflinePlanEvaluator} is a plain analytic one that plugins and
 * tests can use without the engine.
 *
 * <p>Implementations are thread-safe and free of side effects, and give the same prediction for the same
 * arguments (simulators seed their randomness from the arguments or a fixed seed), so a planner may call them
 * from several threads while searching.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface PlanEvaluator {

    /**
     * Predicts how {@code plan} serves the problem's workload on its cluster. Fields the evaluator cannot
     * predict are NaN (see {@link PlanPrediction}).
     *
     * @param problem the models, cluster and workload; not null
     * @param plan    the candidate; its own {@link Plan#prediction()} is ignored; not null
     * @return the prediction; never null
     * @throws IllegalArgumentException when the plan does not fit the problem's shape
     *                                  ({@link Plan#checkAgainst}) or uses a layout the evaluator cannot model
     *                                  (the message says which)
     * @throws InfeasiblePlanException  when the plan cannot run at all: a device would need more memory than
     *                                  it has, or devices that must talk have no link
     */
    PlanPrediction evaluate(PlanningProblem problem, Plan plan);

    /**
     * A cheaper prediction for searches over many candidates, such as an analytic bound where
     * {@link #evaluate} simulates. Planners use it to prune and call {@link #evaluate} on the finalists. The
     * default is {@link #evaluate}.
     *
     * @param problem the models, cluster and workload; not null
     * @param plan    the candidate; not null
     * @return the prediction; never null
     * @throws IllegalArgumentException as {@link #evaluate} does
     * @throws InfeasiblePlanException  as {@link #evaluate} does
     */
    default PlanPrediction estimate(PlanningProblem problem, Plan plan) {
        return evaluate(problem, plan);
    }
}
