package dev.gantry.plugins.baseline.planner;

import dev.gantry.spi.planner.InstancePlan;
import dev.gantry.spi.planner.LengthDistribution;
import dev.gantry.spi.planner.ModelDescription;
import dev.gantry.spi.planner.ModelTraffic;
import dev.gantry.spi.planner.Plan;
import dev.gantry.spi.planner.PlanEvaluator;
import dev.gantry.spi.planner.PlanPrediction;
import dev.gantry.spi.planner.PlanningProblem;
import dev.gantry.spi.planner.StageAssignment;

import java.util.ArrayList;
import java.util.List;

/**
 * An analytic {@link PlanEvaluator}: roofline step times, a single-server queue per instance, and lognormal
 * request lengths. It needs no engine and no measurements, so plugins and tests can score plans anywhere; it
 * ranks plans sensibly but its absolute figures are bounds, not forecasts (no kernel overheads, no attention
 * FLOPs over the context, no overlap of communication with compute, no micro-batching).
 *
 * <p><b>Step times.</b> For a stage with {@code n} devices, tensor degree {@code τ}, the slowest device's
 * memory bandwidth {@code BW} and FLOP/s {@code FL}, the instance's compute share {@code φ}, and for its slice
 * weights {@code W}, FLOPs {@code F} and KV bytes {@code K} per token
 * ({@link ModelDescription#costOf}):
 * <pre>
 *   decode step, b sequences of context C:  max((W/τ + b·C·K/n) / BW,  b·F/n / FL) / φ  + AR(b)  + hop(b)
 *   prefill of one prompt of p tokens:      max((W/τ + p·K/n)   / BW,  p·F/n / FL) / φ  + AR(p)  + hop(p)
 *   AR(x)  = 2 × layers × (2(τ−1)/τ · (x·τ/n)·A / B_ring + 2(τ−1)·lat_ring)   (0 when τ = 1;
 *            A = the model's hidden bytes per token; B_ring, lat_ring = the slowest link within a lane)
 *   hop(x) = lat + x·A_out / B   over the link to the next stage's first device (A_out = bytes per token
 *            leaving the stage)
 * </pre>
 * An instance's {@code T_d(b)} and {@code T_p(p)} are the sums over its stages: a token passes them in turn.
 *
 * <p><b>One instance under load.</b> With mean input {@code in}, mean output {@code out} and
 * {@code C = in + out/2}:
 * <pre>
 *   full batch   B = max(1, min(maxBatchSequences, ⌊kvCapacityTokens / ⌈in + out⌉⌋))
 *   service time S = T_p(in) + (out − 1) · T_d(B) / B        capacity μ = 1/S requests per second
 *   offered      λ_i = λ · μ_i / Σμ  (a model's instances share its traffic by capacity), ρ = λ_i / μ_i
 * </pre>
 * When {@code ρ < 1} the instance serves {@code λ_i}; the queueing delay is Kingman's
 * {@code Wq = ρ/(1−ρ) · cv²/2 · S} (G/D/1, {@code cv} the arrival CV); {@code TTFT = Wq + T_p(length)} at the
 * median and 99th-percentile input; the decode batch is about {@code max(1, ρ·B)}, so
 * {@code TPOT p50 = T_d(max(1, ρB))} and {@code TPOT p99 = T_d(B)}. SLO attainment is
 * {@code P(input ≤ n*) · [TPOT p50 ≤ tpot] · P(output ≤ m*)}, where {@code n*} is the longest prompt whose TTFT
 * meets the SLO and {@code m*} the longest output whose {@code TTFT p50 + (m−1)·TPOT p50} meets the
 * end-to-end bound. When {@code ρ ≥ 1} the queue grows without bound: the instance serves {@code μ}, TTFT is
 * infinite, TPOT is {@code T_d(B)} and attainment 0.
 *
 * <p><b>The plan.</b> Requests per second are the sum of what instances serve, tokens per second that times
 * each model's mean output; p50 latencies are averages weighted by requests served, p99 latencies the worst
 * instance's; cost is the sum of the prices of the devices used (shared devices once); SLO attainment is each
 * model's attainment weighted by its share of the traffic (models without an instance count 0); liveput is
 * each instance's tokens per second times the expected fraction of the next hour it runs before its first
 * interruption, {@code (1 − e^−Λ)/Λ} with {@code Λ} the sum of its devices' interruptions per hour.
 *
 * <p>It models plans whose instances hold each layer in exactly one stage; layer ranges replicated across
 * stages (Helix) need a flow-aware evaluator and are refused with {@link IllegalArgumentException}. Graph
 * stages are taken in list order, as a chain: branches running side by side are not credited. Memory is
 * checked per device (see the refusal message for what did not fit). Stateless and thread-safe.
 */
public final class RooflinePlanEvaluator implements PlanEvaluator {

    /** What one instance does under its share of the traffic. */
    private record InstanceFigures(String model, double offered, double served, double outputTokens,
                                   double ttftP50, double ttftP99, double tpotP50, double tpotP99,
                                   double attainment, double liveput) {
    }

    @Override
    public PlanPrediction evaluate(PlanningProblem problem, Plan plan) {
        plan.checkAgainst(problem);
        for (InstancePlan i : plan.instances()) {
            requireEachLayerOnce(problem, i);
        }
        DeviceMemoryCheck.check(problem, plan);

        List<InstanceFigures> figures = new ArrayList<>();
        for (ModelDescription model : problem.models()) {
            List<InstancePlan> serving = plan.instances().stream().filter(i -> i.model().equals(model.name()))
                    .toList();
            ModelTraffic traffic = problem.trafficOf(model.name());
            List<RooflineStepTimes> times = new ArrayList<>();
            double[] capacity = new double[serving.size()];
            double totalCapacity = 0;
            for (int k = 0; k < serving.size(); k++) {
                times.add(new RooflineStepTimes(problem, serving.get(k)));
                capacity[k] = 1 / serviceSeconds(times.get(k), serving.get(k), traffic);
                totalCapacity += capacity[k];
            }
            for (int k = 0; k < serving.size(); k++) {
                double offered = traffic.requestsPerSecond() * capacity[k] / totalCapacity;
                figures.add(underLoad(problem, serving.get(k), traffic, times.get(k), capacity[k], offered));
            }
        }
        return combine(problem, plan, figures);
    }

    /** The full batch B: the plan's limit, or as many mean-length sequences as the KV quota holds. */
    static double fullBatch(InstancePlan instance, ModelTraffic traffic) {
        double perSequence = Math.ceil(traffic.inputTokens().mean() + traffic.outputTokens().mean());
        return Math.max(1, Math.min(instance.maxBatchSequences(),
                Math.floor(instance.kvCapacityTokens() / perSequence)));
    }

    private static double decodeSteps(ModelTraffic traffic) {
        return Math.max(0, traffic.outputTokens().mean() - 1);
    }

    private static double meanContext(ModelTraffic traffic) {
        return traffic.inputTokens().mean() + traffic.outputTokens().mean() / 2;
    }

    private static double serviceSeconds(RooflineStepTimes times, InstancePlan instance, ModelTraffic traffic) {
        double batch = fullBatch(instance, traffic);
        return times.prefillSeconds(traffic.inputTokens().mean())
                + decodeSteps(traffic) * times.decodeSeconds(batch, meanContext(traffic)) / batch;
    }

    private static InstanceFigures underLoad(PlanningProblem problem, InstancePlan instance, ModelTraffic traffic,
                                             RooflineStepTimes times, double capacity, double offered) {
        LengthDistribution in = traffic.inputTokens();
        LengthDistribution out = traffic.outputTokens();
        double batch = fullBatch(instance, traffic);
        double context = meanContext(traffic);
        double tpotFull = times.decodeSeconds(batch, context);
        double rho = offered / capacity;
        double served;
        double ttftP50;
        double ttftP99;
        double tpotP50;
        double attainment;
        if (rho >= 1) {
            served = capacity;
            ttftP50 = Double.POSITIVE_INFINITY;
            ttftP99 = Double.POSITIVE_INFINITY;
            tpotP50 = tpotFull;
            attainment = 0;
        } else {
            served = offered;
            double cv = traffic.arrivalCv();
            double wait = rho / (1 - rho) * cv * cv / 2 * (1 / capacity);
            ttftP50 = wait + times.prefillSeconds(LogNormalLengths.median(in));
            ttftP99 = wait + times.prefillSeconds(LogNormalLengths.p99(in));
            tpotP50 = times.decodeSeconds(Math.max(1, rho * batch), context);
            attainment = attainment(traffic, times, wait, ttftP50, tpotP50);
        }
        double outputTokens = served * out.mean();
        return new InstanceFigures(instance.model(), offered, served, outputTokens, ttftP50, ttftP99, tpotP50,
                tpotFull, attainment, outputTokens * aliveFraction(problem, instance));
    }

    private static double attainment(ModelTraffic traffic, RooflineStepTimes times, double wait, double ttftP50,
                                     double tpotP50) {
        if (tpotP50 > traffic.slo().tpotSeconds()) {
            return 0;
        }
        LengthDistribution in = traffic.inputTokens();
        double ttftBound = traffic.slo().ttftSeconds() - wait;
        double inputOk;
        if (times.prefillSeconds(in.max()) <= ttftBound) {
            inputOk = 1;
        } else if (times.prefillSeconds(0) > ttftBound) {
            inputOk = 0;
        } else {
            // Prefill time grows with the prompt: bisect for the longest prompt that meets the bound.
            double lo = 0;
            double hi = in.max();
            for (int k = 0; k < 100; k++) {
                double mid = (lo + hi) / 2;
                if (times.prefillSeconds(mid) <= ttftBound) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            inputOk = LogNormalLengths.cdf(in, lo);
        }
        double e2e = traffic.slo().e2eSeconds();
        double outputOk = Double.isInfinite(e2e) ? 1
                : LogNormalLengths.cdf(traffic.outputTokens(), 1 + (e2e - ttftP50) / tpotP50);
        return inputOk * outputOk;
    }

    /** Expected fraction of the next hour the instance runs before its first interruption. */
    private static double aliveFraction(PlanningProblem problem, InstancePlan instance) {
        double rate = instance.deviceIds().stream()
                .mapToDouble(id -> problem.cluster().device(id).orElseThrow().availability().interruptionsPerHour())
                .sum();
        return rate == 0 ? 1 : -Math.expm1(-rate) / rate;
    }

    private static PlanPrediction combine(PlanningProblem problem, Plan plan, List<InstanceFigures> figures) {
        double served = 0;
        double tokens = 0;
        double liveput = 0;
        double ttftWeighted = 0;
        double tpotWeighted = 0;
        double ttftP99 = 0;
        double tpotP99 = 0;
        for (InstanceFigures f : figures) {
            served += f.served;
            tokens += f.outputTokens;
            liveput += f.liveput;
            ttftWeighted += f.served * f.ttftP50;
            tpotWeighted += f.served * f.tpotP50;
            ttftP99 = Math.max(ttftP99, f.ttftP99);
            tpotP99 = Math.max(tpotP99, f.tpotP99);
        }
        double attainment = 0;
        for (ModelDescription model : problem.models()) {
            double offered = problem.trafficOf(model.name()).requestsPerSecond();
            double met = 0;
            for (InstanceFigures f : figures) {
                if (f.model.equals(model.name())) {
                    met += f.attainment * (Double.isInfinite(offered) ? 0 : f.offered / offered);
                }
            }
            attainment += problem.workload().share(model.name()) * met;
        }
        double cost = plan.deviceIds().stream()
                .mapToDouble(id -> problem.cluster().device(id).orElseThrow().pricePerHour()).sum();
        // Rounding in the weighted mean must not put a median above the worst instance's p99.
        return new PlanPrediction(tokens, served, Math.min(ttftWeighted / served, ttftP99),
                ttftP99, Math.min(tpotWeighted / served, tpotP99), tpotP99, cost, Math.min(1, attainment), liveput);
    }

    private static void requireEachLayerOnce(PlanningProblem problem, InstancePlan instance) {
        ModelDescription model = problem.model(instance.model()).orElseThrow();
        int held = instance.stages().stream().map(StageAssignment::slice).mapToInt(s -> s.size()).sum();
        if (held != model.layers()) {
            throw new IllegalArgumentException("RooflinePlanEvaluator models each layer held by exactly one stage; "
                    + "instance '" + instance.id() + "' holds " + held + " layers of model '" + model.name()
                    + "', which has " + model.layers() + " (replicated ranges need a flow-aware evaluator)");
        }
    }
}
